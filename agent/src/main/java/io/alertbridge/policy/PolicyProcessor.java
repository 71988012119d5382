package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification policy: alerts in, notifications out. One instance per task of the grouping
 * topic; everything it knows lives in state stores with changelog topics, written in the same Kafka
 * transaction as its input offsets and its notifications (exactly-once), so a crash or a rebalance
 * resumes from a consistent state on any instance.
 *
 * <p>This class keeps the groups; the storm guard ({@link StormGuard}), backlog summaries ({@link
 * BacklogSummaries}) and the memory of closed alerts ({@link ClosedAlerts}) have their own stores.
 * A wall-clock punctuator looks at the {@link TimerIndex} every {@link #TICK} and sends what is
 * due: a group's first mail after {@code group-wait}, a changed group's next after {@code
 * group-interval}, a still-firing group's repeat after {@code repeat-interval}, an alert's {@code
 * alert-timeout}, a recipient's digest at the end of its window, a route's backlog summary.
 */
final class PolicyProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(PolicyProcessor.class);

  static final Duration TICK = Duration.ofMillis(100);

  /**
   * A mail lists at most this many alerts (the rest are counted), so one notification record stays
   * well under Kafka's 1 MB message limit however large a group grows.
   */
  static final int MAX_LISTED = 500;

  private final PolicyTopology.Wiring w;
  private final TimerIndex timers = new TimerIndex();
  private ProcessorContext<String, byte[]> context;
  private PolicyAuditor auditor;
  private GroupStore groups;
  private StormGuard guard;
  private BacklogSummaries backlogs;
  private ClosedAlerts closed;
  private AlertTimeouts timeouts;
  private ClockSkew skew;

  /** Timers that failed and were dropped since the task started (tests read it). */
  int failedTimers;

  PolicyProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.auditor = PolicyAuditor.forwarding(context);
    this.groups = new GroupStore(w, context.getStateStore(PolicyTopology.GROUPS_STORE), timers);
    this.guard =
        new StormGuard(
            w, context.getStateStore(PolicyTopology.RECIPIENTS_STORE), timers, this::emit);
    this.backlogs =
        new BacklogSummaries(
            w,
            auditor,
            context.getStateStore(PolicyTopology.BACKLOGS_STORE),
            timers,
            this::emit,
            groups);
    this.closed =
        new ClosedAlerts(
            context.getStateStore(PolicyTopology.CLOSED_STORE), timers, w.dedupWindow());
    this.timeouts = new AlertTimeouts(auditor, closed);
    this.skew = new ClockSkew(w, auditor);
    rebuildTimers(w.clock().millis());
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, t -> tick(w.clock().millis()));
  }

  /** Runs after Kafka Streams restored the stores from their changelogs. */
  private void rebuildTimers(long now) {
    groups.rebuild(now);
    guard.rebuild();
    backlogs.rebuild();
    closed.rebuild();
    if (timers.size() > 0) {
      log.info("policy task {}: {} timers restored", context.taskId(), timers.size());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RoutedEvent e = PolicyJson.readState(record.value(), RoutedEvent.class);
    long now = w.clock().millis();
    e = skew.trusted(e, now, record.timestamp());
    String id = e.event().id();
    boolean stale = now - e.event().time() > w.maxEventAge().toMillis();
    for (String name : e.routes()) {
      RoutePolicy route = w.routes().get(name);
      if (route == null) {
        // Routed by an instance with another configuration (a rolling change): mail it anyway
        // under the first route this configuration knows would be a guess; keep it in the audit.
        log.warn("event {} names route {}, which this configuration lacks", id, name);
        auditor.append(
            PolicyAudit.suppressed(
                Instant.ofEpochMilli(now), e, name, null, null, PolicyAudit.ROUTE_REMOVED));
        continue;
      }
      if (stale) {
        backlogs.add(route, e, now);
        backlogs.learn(route, e, now);
      } else {
        fresh(route, e, now);
      }
    }
  }

  // ---- groups ------------------------------------------------------------------------------

  private void fresh(RoutePolicy route, RoutedEvent e, long now) {
    AlertSnapshot ev = e.event();
    String key = Fingerprints.groupKey(route.name(), route.groupBy(), ev);
    GroupState g = groups.load(key);
    String fp = Fingerprints.of(ev);
    GroupState.AlertState a = g == null ? null : g.alerts.get(fp);
    Instant at = Instant.ofEpochMilli(now);
    ClosedAlert gone = a == null ? closed.load(key, fp) : null;
    List<String> recent = a != null ? a.recent : gone != null ? gone.recent : List.of();
    long latest = a != null ? a.latest.time() : gone != null ? gone.time : Long.MIN_VALUE;
    if (recent.contains(ev.id())) {
      // A producer's retry or a replay: the same event again.
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, groups.lastMessageId(g), PolicyAudit.DUPLICATE));
      return;
    }
    if (ev.time() < latest) {
      // Older than what is known of the alert: it would turn the alert's state back in time.
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, groups.lastMessageId(g), PolicyAudit.SUPERSEDED));
      return;
    }
    if (!ev.firing() && (a == null || a.notified == null)) {
      // Nobody was told it fired (or it resolved twice): as in Alertmanager, an alert that fired
      // and resolved before any mail announced it is not news; there is nothing to resolve.
      if (a != null) {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  at, a.pending, route.name(), key, groups.lastMessageId(g), PolicyAudit.RESOLVED));
        }
        recent = a.recent;
        g.alerts.remove(fp);
      }
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, groups.lastMessageId(g), PolicyAudit.RESOLVED));
      closed.close(key, fp, ev, recent, now);
      if (g != null) {
        groups.saveOrDrop(g);
      }
      return;
    }
    if (g == null) {
      g = GroupState.open(route, key, ev, now);
    }
    boolean pendingChanges = g.hasChanges();
    if (a == null) {
      a = new GroupState.AlertState();
      a.firstSeen = ev.time();
      a.recent = new ArrayList<>(recent);
      g.alerts.put(fp, a);
      if (gone != null) {
        closed.delete(gone);
      }
    }
    a.latest = ev;
    a.remember(ev.id());
    a.refreshed = now;
    a.timedOut = false;
    if (!ev.firing() && !route.sendResolved()) {
      // Resolved, and this route does not mail resolutions: forget the alert.
      if (a.pending != null) {
        auditor.append(
            PolicyAudit.suppressed(
                at, a.pending, route.name(), key, groups.lastMessageId(g), PolicyAudit.REPEAT));
      }
      g.alerts.remove(fp);
      closed.close(key, fp, ev, a.recent, now);
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, groups.lastMessageId(g), PolicyAudit.RESOLVED));
      groups.saveOrDrop(g);
      return;
    }
    if (ev.firing()) {
      groups.armExpiry(g, route, now);
    }
    if (a.changed() || pendingChanges) {
      if (route.mutedAt(at)) {
        auditor.append(PolicyAudit.suppressed(at, e, route.name(), key, null, PolicyAudit.MUTED));
      } else {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  at,
                  a.pending,
                  route.name(),
                  key,
                  groups.messageId(g, g.seq + 1),
                  PolicyAudit.GROUPED));
        }
        a.pending = GroupState.Pending.of(e);
      }
      scheduleChange(g, route);
    } else {
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, groups.lastMessageId(g), PolicyAudit.REPEAT));
    }
    if (g.due <= now) {
      flushGroup(g, now);
    } else {
      groups.save(g);
    }
  }

  /** A change waits for group-wait before the first mail, then group-interval after the last. */
  private void scheduleChange(GroupState g, RoutePolicy route) {
    long changeDue =
        g.seq == 0 && g.foldedInto == null
            ? g.incident + route.groupWait().toMillis()
            : g.lastSent + route.groupInterval().toMillis();
    if (g.due == 0 || changeDue < g.due) {
      groups.setDue(g, changeDue);
    }
  }

  private void flushGroup(GroupState g, long now) {
    RoutePolicy route = w.routes().get(g.route);
    Instant at = Instant.ofEpochMilli(now);
    if (route == null) {
      log.warn("dropping group {}: route {} is no longer configured", g.key, g.route);
      for (GroupState.AlertState a : g.alerts.values()) {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  at, a.pending, g.route, g.key, null, PolicyAudit.ROUTE_REMOVED));
        }
      }
      groups.delete(g);
      return;
    }
    if (route.mutedAt(at)) {
      groups.setDue(g, MuteWindow.unmutedFrom(route.mute(), at).toEpochMilli());
      groups.save(g);
      return;
    }
    boolean changes = g.hasChanges();
    boolean repeat =
        !changes
            && g.hasFiring()
            && g.lastSent > 0
            && now >= g.lastSent + route.repeatInterval().toMillis();
    if (!changes && !repeat) {
      scheduleRepeat(g, route);
      groups.saveOrDrop(g);
      return;
    }
    GroupListing listing =
        GroupListing.of(
            g,
            route,
            MAX_LISTED,
            (fp, a) -> {
              if (a.pending != null) {
                auditor.append(
                    PolicyAudit.suppressed(
                        at,
                        a.pending,
                        route.name(),
                        g.key,
                        groups.lastMessageId(g),
                        PolicyAudit.RESOLVED));
              }
              closed.close(g.key, fp, a.latest, a.recent, now);
            });
    List<Notification.Alert> alerts = listing.alerts();
    List<GroupState.Pending> carried = new ArrayList<>(listing.carried());
    List<GroupState.Pending> unlisted = listing.unlisted();
    int total = listing.total();
    if (alerts.isEmpty()) {
      groups.saveOrDrop(g);
      return;
    }
    List<String> allowed = guard.admit(route, g, alerts, total - alerts.size(), now);
    if (allowed.isEmpty()) {
      // Every recipient is over the limit: no mail of the group's own exists, so the thread does
      // not advance; what its events went into is the digest.
      String digest = guard.digestId(route.recipients().get(0));
      carried.addAll(unlisted);
      for (GroupState.Pending p : carried) {
        auditor.append(
            PolicyAudit.suppressed(at, p, route.name(), g.key, digest, PolicyAudit.GROUPED));
      }
      g.foldedInto = digest;
    } else {
      emitGroupMail(g, route, allowed, alerts, carried, total, now);
      for (GroupState.Pending p : unlisted) {
        auditor.append(
            PolicyAudit.suppressed(
                at, p, route.name(), g.key, groups.messageId(g, g.seq), PolicyAudit.GROUPED));
      }
    }
    for (GroupState.AlertState a : g.alerts.values()) {
      a.notified = a.state();
      a.pending = null;
    }
    for (Iterator<Map.Entry<String, GroupState.AlertState>> it = g.alerts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, GroupState.AlertState> entry = it.next();
      if (!entry.getValue().firing()) {
        it.remove();
        GroupState.AlertState a = entry.getValue();
        closed.close(g.key, entry.getKey(), a.latest, a.recent, now);
      }
    }
    g.lastSent = now;
    scheduleRepeat(g, route);
    groups.saveOrDrop(g);
  }

  private void emitGroupMail(
      GroupState g,
      RoutePolicy route,
      List<String> to,
      List<Notification.Alert> alerts,
      List<GroupState.Pending> carried,
      int total,
      long now) {
    g.seq++;
    g.foldedInto = null;
    String messageId = groups.messageId(g, g.seq);
    String inReplyTo = g.threadRoot;
    if (g.threadRoot == null) {
      g.threadRoot = messageId;
    }
    emit(
        new Notification(
            Notification.GROUP,
            route.name(),
            route.template(),
            to,
            g.key,
            g.labels,
            messageId,
            inReplyTo,
            alerts,
            carried.stream().map(GroupState.Pending::eventId).toList(),
            now,
            0,
            0,
            total,
            1));
  }

  private void scheduleRepeat(GroupState g, RoutePolicy route) {
    if (g.hasChanges()) {
      return;
    }
    if (g.hasFiring() && g.lastSent > 0) {
      groups.setDue(g, g.lastSent + route.repeatInterval().toMillis());
    } else {
      groups.setDue(g, 0);
    }
  }

  // ---- alert-timeout -----------------------------------------------------------------------

  /** The group's alert-timeout timer: ends what timed out, re-arms for the next. */
  private void expire(GroupState g, long now) {
    RoutePolicy route = w.routes().get(g.route);
    groups.setExpires(g, 0);
    if (route == null || route.alertTimeout() == null) {
      groups.save(g);
      return;
    }
    AlertTimeouts.Outcome o = timeouts.expire(g, route, groups.lastMessageId(g), now);
    groups.setExpires(g, o.next());
    if (o.changed()) {
      scheduleChange(g, route);
    }
    if (g.due != 0 && g.due <= now) {
      flushGroup(g, now);
    } else {
      groups.saveOrDrop(g);
    }
  }

  // ---- time ----------------------------------------------------------------------------------

  /**
   * Sends everything due at or before {@code now}, oldest first. A timer that fails is logged and
   * dropped: a punctuation has no input record to skip, so one unreadable state value would
   * otherwise stop the stream thread, and with it every route, for good.
   */
  void tick(long now) {
    for (TimerIndex.Timer t : timers.dueAt(now)) {
      try {
        fire(t, now);
      } catch (KafkaException e) {
        throw e; // the store or the producer: infrastructure, not this timer's state
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        // The errors too that one state value can cause: a timer has no record the crash guard
        // could skip, so a death here would repeat on every fresh thread and every restart.
        timers.remove(t);
        failedTimers++;
        log.error(
            "policy timer {} for {} due at {} failed and is dropped",
            t.kind(),
            t.key(),
            Instant.ofEpochMilli(t.at()),
            e);
        w.observer().timerFailed(t.kind());
      }
    }
  }

  private void fire(TimerIndex.Timer t, long now) {
    switch (t.kind()) {
      case GroupStore.DUE -> {
        GroupState g = groups.load(t.key());
        if (g == null || g.due != t.at()) {
          timers.remove(t);
        } else {
          flushGroup(g, now);
        }
      }
      case GroupStore.EXPIRY -> {
        timers.remove(t);
        GroupState g = groups.load(t.key());
        if (g != null) {
          expire(g, now);
        }
      }
      case StormGuard.KIND -> guard.due(t, now);
      case BacklogSummaries.KIND -> backlogs.due(t, now);
      case ClosedAlerts.KIND -> closed.due(t);
      default -> timers.remove(t);
    }
  }

  private void emit(Notification n) {
    context.forward(new Record<>(n.group(), PolicyJson.write(n), n.created()));
  }
}

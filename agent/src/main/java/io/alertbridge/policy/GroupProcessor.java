package io.alertbridge.policy;

import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy's grouping step, on {@code STATE-events} keyed by group (route and group key), so
 * groups spread over every partition and instance whatever their recipients (issue 16). Each
 * reading updates its alert and its group's head ({@link GroupPolicy}); a group that is due sends
 * its mail, one per recipient, to the mail step ({@link GroupMails}), where the storm guard counts
 * per recipient. Stale events go to their route's backlog summary there.
 *
 * <p>A wall-clock punctuator looks at the {@link TimerIndex} every {@link #TICK}: group-wait,
 * group-interval, repeat-interval, alert-timeout, the end of dedup-window, and groups that this
 * configuration no longer has ({@link Reconfigured}).
 */
final class GroupProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(GroupProcessor.class);

  static final java.time.Duration TICK = java.time.Duration.ofMillis(100);

  /**
   * Timers due further ahead than this are not held in memory; each tick that comes within half of
   * it of the horizon moves it on and adds them from the stores (a scan of the heads).
   */
  static final java.time.Duration HORIZON = java.time.Duration.ofMinutes(10);

  private final PolicyTopology.Wiring w;
  private final TimerIndex timers = new TimerIndex();
  private CommitPacer commits;
  private ProcessorContext<String, byte[]> context;
  private PolicyAuditor auditor;
  private GroupStore groups;
  private GroupPolicy policy;
  private GroupMails mails;
  private Responses responses;
  private ClosedAlerts closed;
  private AlertTimeouts timeouts;
  private Reconfigured reconfigured;
  private long rulesVersion;
  private long silencesChecked;
  private final java.util.Set<String> watchedSilences = new java.util.HashSet<>();
  private Imports imports;
  private ClockSkew skew;

  /** Timers that failed and were dropped since the task started (tests read it). */
  int failedTimers;

  GroupProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.commits = new CommitPacer(context);
    this.auditor = PolicyAuditor.forwarding(context);
    this.groups =
        new GroupStore(
            w,
            context.getStateStore(PolicyTopology.HEADS_STORE),
            context.getStateStore(PolicyTopology.ALERTS_STORE),
            timers,
            (key, value) ->
                PolicyAuditor.untyped(context)
                    .forward(StageRecords.watched(key, value, w.clock().millis())));
    this.closed =
        new ClosedAlerts(
            context.getStateStore(PolicyTopology.CLOSED_STORE),
            timers,
            w.dedupWindow(),
            w.observer());
    this.mails =
        new GroupMails(
            w, groups, closed, auditor, this::toMailStep, () -> context.taskId().partition());
    this.policy = new GroupPolicy(groups, closed, auditor, mails, w);
    this.responses =
        new Responses(w, groups, mails, auditor, r -> PolicyAuditor.untyped(context).forward(r));
    this.timeouts = new AlertTimeouts(groups, auditor, closed);
    this.reconfigured =
        new Reconfigured(
            w,
            groups,
            auditor,
            a ->
                PolicyAuditor.untyped(context)
                    .forward(
                        StageRecords.rekeyed(
                            a.group(),
                            PolicyJson.write(a),
                            w.clock().millis(),
                            StageRecords.IMPORT)));
    this.imports = new Imports(w, groups, mails, auditor);
    this.skew = new ClockSkew(w, auditor);
    rulesVersion = w.rules().get().version();
    rebuildTimers(w.clock().millis());
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, t -> tick(w.clock().millis()));
  }

  /** Runs after Kafka Streams restored the stores from their changelogs. */
  private void rebuildTimers(long now) {
    timers.horizon(now + HORIZON.toMillis());
    int[] closing = {0};
    groups.forEachHead(
        (key, g) -> {
          if (closeIfReconfigured(key, g, now)) {
            closing[0]++;
            return;
          }
          timers.reschedule(GroupStore.DUE, key, 0, g.due());
          timers.reschedule(GroupStore.EXPIRY, key, 0, g.expires());
        });
    closed.rebuild();
    if (timers.size() > 0) {
      log.info(
          "policy task {}: {} timers restored, {} groups to close for the new configuration",
          context.taskId(),
          timers.size(),
          closing[0]);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    long now = w.clock().millis();
    var meta = context.recordMetadata().orElse(null);
    if (meta != null && meta.topic().equals(w.responsesTopic())) {
      responses.apply(
          record.value(), new Responses.Origin(meta.topic(), meta.partition(), meta.offset()), now);
      return;
    }
    if (StageRecords.isImport(record.headers())) {
      imports.apply(PolicyJson.readState(record.value(), ImportedAlert.class), now);
      return;
    }
    RoutedEvent e = PolicyJson.readState(record.value(), RoutedEvent.class);
    e = skew.trusted(e, now, record.timestamp());
    boolean stale = now - e.event().time() > w.maxEventAge().toMillis();
    for (String name : e.routes()) {
      RoutePolicy route = w.routes().get(name);
      if (route == null) {
        // Routed by an instance with another configuration (a rolling change).
        log.warn("event {} names route {}, which this configuration lacks", e.event().id(), name);
        auditor.append(
            PolicyAudit.suppressed(
                Instant.ofEpochMilli(now), e, name, null, null, PolicyAudit.ROUTE_REMOVED));
        continue;
      }
      String key = Fingerprints.groupKey(route.name(), route.groupBy(), e.event());
      if (!key.equals(record.key()) && !StageRecords.wasRekeyed(record.headers())) {
        // Keyed by an earlier version (by recipients, several routes in one record): on to the
        // task that owns the group, so that one group is never held by two tasks. Once only: in a
        // rolling change of group-by, two configurations would send it back and forth for ever.
        PolicyAuditor.untyped(context)
            .forward(
                StageRecords.rekeyed(
                    key, PolicyJson.write(e.forRoute(name)), record.timestamp(), "event"));
        continue;
      }
      w.observer().eventGrouped();
      if (stale) {
        // One decision for both steps: held back here means not listed in the summary there.
        java.util.Optional<Suppressions.Why> held = policy.learn(route, key, e.event(), now);
        toMailStep(
            MailRequest.backlogKey(route.name()),
            new StaleEvent(
                route.name(),
                e.event(),
                Pending.of(e),
                held.map(Suppressions.Why::reason).orElse(null),
                held.map(Suppressions.Why::cause).orElse(null)));
      } else {
        policy.fresh(route, key, e, now);
      }
    }
  }

  /** Sends everything due at or before {@code now}, oldest first ({@link TimerIndex#fireDue}). */
  void tick(long now) {
    if (now + HORIZON.toMillis() / 2 > timers.horizon()) {
      sweep(now);
    }
    PolicyRules rules = w.rules().get();
    if (rules.version() != rulesVersion) {
      rulesVersion = rules.version();
      reconsider(now);
    }
    watchNewSilences(now);
    failedTimers += timers.fireDue(now, t -> fire(t, now), w.observer());
  }

  /** Whether the configuration no longer has the group, whose closing is then due now. */
  private boolean closeIfReconfigured(String key, GroupHead g, long now) {
    if (reconfigured.reason(g) == null) {
      return false;
    }
    timers.reschedule(Reconfigured.KIND, key, 0, now);
    return true;
  }

  /**
   * A reload changed the rules: groups of a removed route, or of a route whose {@code group-by}
   * changed, close as when a task starts with a new configuration ({@link Reconfigured}).
   */
  private void reconsider(long now) {
    int[] closing = {0};
    groups.forEachHead(
        (key, g) -> {
          if (closeIfReconfigured(key, g, now)) {
            closing[0]++;
          }
        });
    log.info(
        "policy task {}: rules version {}, {} groups to close for it",
        context.taskId(),
        rulesVersion,
        closing[0]);
    // A new inhibition rule's sources may fire already, from a sensor that reads only on change.
    rewatch();
  }

  /** Puts every firing alert that must be watched now and is not on the watched topic. */
  private void rewatch() {
    groups.forEachHead(
        (key, g) -> {
          GroupHead[] head = {g};
          groups.forEachAlert(
              g,
              (fp, a) -> {
                if (a.firing() && !a.watched()) {
                  head[0] = groups.putAlert(head[0], fp, a, a);
                }
              });
        });
  }

  /**
   * A new silence that expires on resolve must see every firing alert it covers, including those
   * that fired before it and send no reading until they resolve: they go to the watched topic now.
   */
  private void watchNewSilences(long now) {
    if (now - silencesChecked < 1000) {
      return;
    }
    silencesChecked = now;
    java.util.Set<String> active = new java.util.HashSet<>();
    java.time.Instant at = java.time.Instant.ofEpochMilli(now);
    for (var s : w.operators().silences().all()) {
      if (s.expireOnResolve() && s.activeAt(at)) {
        active.add(s.id());
      }
    }
    // Only the active ones are remembered: the set cannot grow with silences long gone.
    boolean fresh = !watchedSilences.containsAll(active);
    watchedSilences.retainAll(active);
    watchedSilences.addAll(active);
    if (fresh) {
      rewatch();
    }
  }

  /** Moves the horizon on and adds the timers that came within it. */
  private void sweep(long now) {
    timers.horizon(now + HORIZON.toMillis());
    groups.forEachHead(
        (key, g) -> {
          timers.reschedule(GroupStore.DUE, key, 0, g.due());
          timers.reschedule(GroupStore.EXPIRY, key, 0, g.expires());
        });
    closed.rebuild();
  }

  private void fire(TimerIndex.Timer t, long now) {
    switch (t.kind()) {
      case GroupStore.DUE -> {
        GroupHead g = groups.head(t.key());
        if (g == null || g.due() != t.at()) {
          timers.remove(t);
        } else {
          mails.flush(g, now);
        }
      }
      case GroupStore.EXPIRY -> {
        timers.remove(t);
        GroupHead g = groups.head(t.key());
        if (g != null && g.expires() == t.at()) {
          expire(g, now);
        }
      }
      case ClosedAlerts.KIND -> closed.due(t);
      case Reconfigured.KIND -> {
        timers.remove(t);
        reconfigured.due(t, now);
      }
      default -> timers.remove(t);
    }
  }

  /** The group's alert-timeout timer: ends what timed out, re-arms for the next. */
  private void expire(GroupHead g, long now) {
    RoutePolicy route = w.routes().get(g.route());
    g = groups.setExpires(g, 0);
    if (route == null || route.alertTimeout() == null) {
      groups.save(g);
      return;
    }
    AlertTimeouts.Outcome o = timeouts.expire(g, route, now);
    g = groups.setExpires(o.head(), o.next());
    if (o.changed()) {
      g = mails.scheduleChange(g, route);
    }
    if (g.due() != 0 && g.due() <= now) {
      mails.flush(g, now);
    } else {
      groups.saveOrDrop(g);
    }
  }

  private void toMailStep(String key, MailRequest m) {
    context.forward(
        new Record<>(key, PolicyJson.writeAs(m, MailRequest.class), w.clock().millis()));
    if (m instanceof Notification.GroupMail) {
      commits.forwarded();
    }
  }
}

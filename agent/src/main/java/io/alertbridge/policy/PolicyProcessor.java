package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import io.alertbridge.config.Rate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification policy: alerts in, notifications out. One instance per task of the grouping
 * topic; everything it knows lives in state stores with changelog topics, written in the same Kafka
 * transaction as its input offsets and its notifications (exactly-once), so a crash or a rebalance
 * resumes from a consistent state on any instance.
 *
 * <p>A wall-clock punctuator looks at the {@code due} index every {@link #TICK} and sends what is
 * due: a group's first mail after {@code group-wait}, a changed group's next after {@code
 * group-interval}, a still-firing group's repeat after {@code repeat-interval}, a recipient's
 * digest at the end of its window, a route's backlog summary once the backlog has passed.
 */
final class PolicyProcessor implements Processor<String, byte[], String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(PolicyProcessor.class);

  static final Duration TICK = Duration.ofMillis(100);

  /**
   * A mail lists at most this many alerts (the rest are counted), so one notification record stays
   * well under Kafka's 1 MB message limit however large a group grows.
   */
  static final int MAX_LISTED = 500;

  /** A backlog summary goes out once no stale event came for this long. */
  static final Duration BACKLOG_QUIET = Duration.ofSeconds(5);

  private static final String GROUP = "g";
  private static final String RECIPIENT = "r";
  private static final String BACKLOG = "b";
  private static final String CLOSED = "c";

  private final PolicyTopology.Wiring w;
  private ProcessorContext<String, byte[]> context;
  private PolicyAuditor auditor;
  private KeyValueStore<String, byte[]> groups;
  private KeyValueStore<String, byte[]> recipients;
  private KeyValueStore<String, byte[]> backlogs;

  /**
   * What is due when, as {@code time|kind|key}: derived from the due times kept in the stores, so
   * it is rebuilt from them when the task starts rather than written to a changelog of its own.
   */
  private final TreeSet<String> due = new TreeSet<>();

  private KeyValueStore<String, byte[]> closed;

  PolicyProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.auditor = PolicyAuditor.forwarding(context);
    this.groups = context.getStateStore(PolicyTopology.GROUPS_STORE);
    this.recipients = context.getStateStore(PolicyTopology.RECIPIENTS_STORE);
    this.backlogs = context.getStateStore(PolicyTopology.BACKLOGS_STORE);
    this.closed = context.getStateStore(PolicyTopology.CLOSED_STORE);
    rebuildDue();
    context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, t -> tick(w.clock().millis()));
  }

  /** Runs after Kafka Streams restored the stores from their changelogs. */
  private void rebuildDue() {
    try (KeyValueIterator<String, byte[]> it = groups.all()) {
      it.forEachRemaining(
          kv -> {
            GroupState g = PolicyJson.readState(kv.value, GroupState.class);
            if (g.due != 0) {
              due.add(dueKey(g.due, GROUP, g.key));
            }
          });
    }
    try (KeyValueIterator<String, byte[]> it = recipients.all()) {
      it.forEachRemaining(
          kv -> {
            RecipientState r = PolicyJson.readState(kv.value, RecipientState.class);
            if (r.due != 0) {
              due.add(dueKey(r.due, RECIPIENT, r.address));
            }
          });
    }
    try (KeyValueIterator<String, byte[]> it = backlogs.all()) {
      it.forEachRemaining(
          kv -> {
            BacklogState b = PolicyJson.readState(kv.value, BacklogState.class);
            if (b.due != 0) {
              due.add(dueKey(b.due, BACKLOG, b.route));
            }
          });
    }
    try (KeyValueIterator<String, byte[]> it = closed.all()) {
      it.forEachRemaining(
          kv -> {
            ClosedAlert c = PolicyJson.readState(kv.value, ClosedAlert.class);
            due.add(dueKey(c.until, CLOSED, c.key));
          });
    }
    if (!due.isEmpty()) {
      log.info("policy task {}: {} timers restored", context.taskId(), due.size());
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    RoutedEvent e = PolicyJson.readState(record.value(), RoutedEvent.class);
    long now = w.clock().millis();
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
                Instant.ofEpochMilli(now), e, name, null, null, "route not configured"));
        continue;
      }
      if (stale) {
        stale(route, e, now);
      } else {
        fresh(route, e, now);
      }
    }
  }

  // ---- groups ------------------------------------------------------------------------------

  private void fresh(RoutePolicy route, RoutedEvent e, long now) {
    AlertSnapshot ev = e.event();
    String key = Fingerprints.groupKey(route.name(), route.groupBy(), ev);
    GroupState g = loadGroup(key);
    String fp = Fingerprints.of(ev);
    GroupState.AlertState a = g == null ? null : g.alerts.get(fp);
    Instant at = Instant.ofEpochMilli(now);
    ClosedAlert closed = a == null ? loadClosed(key, fp) : null;
    List<String> recent = a != null ? a.recent : closed != null ? closed.recent : List.of();
    long latest = a != null ? a.latest.time() : closed != null ? closed.time : Long.MIN_VALUE;
    if (recent.contains(ev.id())) {
      // A producer's retry or a replay: the same event again.
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, lastMessageId(g), PolicyAudit.DUPLICATE));
      return;
    }
    if (ev.time() < latest) {
      // Older than what is known of the alert: it would turn the alert's state back in time.
      auditor.append(
          PolicyAudit.suppressed(
              at, e, route.name(), key, lastMessageId(g), PolicyAudit.SUPERSEDED));
      return;
    }
    if (a == null && !ev.firing()) {
      // Nobody was told it fired (or it resolved twice): there is nothing to resolve in a mail.
      auditor.append(
          PolicyAudit.suppressed(at, e, route.name(), key, lastMessageId(g), PolicyAudit.RESOLVED));
      close(key, fp, ev, recent, now);
      return;
    }
    if (g == null) {
      g = new GroupState();
      g.key = key;
      g.route = route.name();
      g.incident = now;
      g.labels = Fingerprints.groupLabels(route.groupBy(), ev);
    }
    boolean pendingChanges = g.hasChanges();
    if (a == null) {
      a = new GroupState.AlertState();
      a.firstSeen = ev.time();
      a.recent = new ArrayList<>(recent);
      g.alerts.put(fp, a);
      if (closed != null) {
        deleteClosed(closed);
      }
    }
    a.latest = ev;
    a.remember(ev.id());
    if (!ev.firing() && !route.sendResolved() && a.notified != null) {
      // Resolved, and this route does not mail resolutions: forget the alert.
      if (a.pending != null) {
        auditor.append(
            PolicyAudit.suppressed(
                at, a.pending, route.name(), key, lastMessageId(g), PolicyAudit.REPEAT));
      }
      g.alerts.remove(fp);
      close(key, fp, ev, a.recent, now);
      auditor.append(
          PolicyAudit.suppressed(at, e, route.name(), key, lastMessageId(g), PolicyAudit.RESOLVED));
      saveOrDrop(g, now);
      return;
    }
    if (a.changed() || pendingChanges) {
      if (route.mutedAt(at)) {
        auditor.append(PolicyAudit.suppressed(at, e, route.name(), key, null, PolicyAudit.MUTED));
      } else {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  at, a.pending, route.name(), key, messageId(g, g.seq + 1), PolicyAudit.GROUPED));
        }
        a.pending = GroupState.Pending.of(e);
      }
      long changeDue =
          g.seq == 0
              ? g.incident + route.groupWait().toMillis()
              : g.lastSent + route.groupInterval().toMillis();
      if (g.due == 0 || changeDue < g.due) {
        setDue(g, changeDue);
      }
    } else {
      auditor.append(
          PolicyAudit.suppressed(at, e, route.name(), key, lastMessageId(g), PolicyAudit.REPEAT));
    }
    if (g.due <= now) {
      flushGroup(g, now);
    } else {
      groups.put(key, PolicyJson.write(g));
    }
  }

  private void flushGroup(GroupState g, long now) {
    RoutePolicy route = w.routes().get(g.route);
    if (route == null) {
      log.warn("dropping group {}: route {} is no longer configured", g.key, g.route);
      deleteGroup(g);
      return;
    }
    Instant at = Instant.ofEpochMilli(now);
    if (route.mutedAt(at)) {
      setDue(g, MuteWindow.unmutedFrom(route.mute(), at).toEpochMilli());
      groups.put(g.key, PolicyJson.write(g));
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
      saveOrDrop(g, now);
      return;
    }
    List<Notification.Alert> alerts = new ArrayList<>();
    List<GroupState.Pending> carried = new ArrayList<>();
    List<GroupState.Pending> unlisted = new ArrayList<>();
    int total = 0;
    for (Iterator<Map.Entry<String, GroupState.AlertState>> it = g.alerts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, GroupState.AlertState> entry = it.next();
      GroupState.AlertState a = entry.getValue();
      boolean firing = a.latest.firing();
      if (!firing && !route.sendResolved()) {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  at, a.pending, route.name(), g.key, lastMessageId(g), PolicyAudit.RESOLVED));
        }
        it.remove();
        close(g.key, entry.getKey(), a.latest, a.recent, now);
        continue;
      }
      String state = !firing ? "resolved" : "firing".equals(a.notified) ? "firing" : "new";
      total++;
      if (alerts.size() < MAX_LISTED) {
        alerts.add(
            new Notification.Alert(entry.getKey(), state, a.latest, a.firstSeen, null, null));
        if (a.pending != null) {
          carried.add(a.pending);
        }
      } else if (a.pending != null) {
        unlisted.add(a.pending);
      }
    }
    if (alerts.isEmpty()) {
      saveOrDrop(g, now);
      return;
    }
    g.seq++;
    String messageId = messageId(g, g.seq);
    String inReplyTo = g.threadRoot;
    if (g.threadRoot == null) {
      g.threadRoot = messageId;
    }
    List<String> allowed = guard(route, g, alerts, now);
    List<String> eventIds = carried.stream().map(GroupState.Pending::eventId).toList();
    if (!allowed.isEmpty()) {
      emit(
          new Notification(
              Notification.GROUP,
              route.name(),
              route.template(),
              allowed,
              g.key,
              g.labels,
              messageId,
              inReplyTo,
              alerts,
              eventIds,
              now,
              0,
              0,
              total,
              1));
      for (GroupState.Pending p : unlisted) {
        auditor.append(
            PolicyAudit.suppressed(at, p, route.name(), g.key, messageId, PolicyAudit.GROUPED));
      }
    } else {
      String digest = digestId(route.recipients().get(0));
      carried.addAll(unlisted);
      for (GroupState.Pending p : carried) {
        auditor.append(
            PolicyAudit.suppressed(at, p, route.name(), g.key, digest, PolicyAudit.GROUPED));
      }
    }
    for (GroupState.AlertState a : g.alerts.values()) {
      a.notified = a.latest.status();
      a.pending = null;
    }
    for (Iterator<Map.Entry<String, GroupState.AlertState>> it = g.alerts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, GroupState.AlertState> entry = it.next();
      if (!entry.getValue().latest.firing()) {
        it.remove();
        close(g.key, entry.getKey(), entry.getValue().latest, entry.getValue().recent, now);
      }
    }
    g.lastSent = now;
    scheduleRepeat(g, route);
    saveOrDrop(g, now);
  }

  private void scheduleRepeat(GroupState g, RoutePolicy route) {
    if (g.hasChanges()) {
      return;
    }
    if (g.hasFiring() && g.lastSent > 0) {
      setDue(g, g.lastSent + route.repeatInterval().toMillis());
    } else {
      setDue(g, 0);
    }
  }

  /** Stores the group, or deletes it once it holds no alert: the incident is over. */
  private void saveOrDrop(GroupState g, long now) {
    if (g.alerts.isEmpty()) {
      deleteGroup(g);
    } else {
      groups.put(g.key, PolicyJson.write(g));
    }
  }

  private void deleteGroup(GroupState g) {
    setDue(g, 0);
    groups.delete(g.key);
  }

  private GroupState loadGroup(String key) {
    byte[] v = groups.get(key);
    return v == null ? null : PolicyJson.readState(v, GroupState.class);
  }

  private void setDue(GroupState g, long at) {
    g.due = reschedule(GROUP, g.key, g.due, at);
  }

  private String messageId(GroupState g, long seq) {
    return w.messageId("group", g.key, Long.toString(g.incident), Long.toString(seq));
  }

  private String lastMessageId(GroupState g) {
    return g == null || g.seq == 0 ? null : messageId(g, g.seq);
  }

  // ---- storm guard ---------------------------------------------------------------------------

  /**
   * The recipients still under {@code max-mails-per-recipient} in their window get the mail (and it
   * counts); for the others it is folded into the digest that ends their window.
   */
  private List<String> guard(
      RoutePolicy route, GroupState g, List<Notification.Alert> alerts, long now) {
    Rate limit = w.maxMailsPerRecipient();
    if (limit == null) {
      return route.recipients();
    }
    List<String> allowed = new ArrayList<>();
    for (String address : route.recipients()) {
      RecipientState s = loadRecipient(address);
      if (s.folded.isEmpty() && now >= s.windowStart + limit.window().toMillis()) {
        s.windowStart = now;
        s.mails = 0;
      }
      if (s.mails < limit.permits()) {
        s.mails++;
        allowed.add(address);
      } else {
        RecipientState.DigestEntry entry =
            s.folded.computeIfAbsent(g.key, k -> new RecipientState.DigestEntry());
        entry.route = route.name();
        entry.labels = g.labels;
        for (Notification.Alert a : alerts) {
          entry.alerts.put(
              a.fingerprint(),
              new Notification.Alert(
                  a.fingerprint(), a.state(), a.event(), a.firstSeen(), route.name(), g.labels));
        }
        if (s.due == 0) {
          setDue(s, s.windowStart + limit.window().toMillis());
        }
      }
      recipients.put(address, PolicyJson.write(s));
    }
    return allowed;
  }

  private void flushDigest(RecipientState s, long now) {
    List<Notification.Alert> alerts = new ArrayList<>();
    s.folded.values().forEach(e -> alerts.addAll(e.alerts.values()));
    alerts.sort(
        Comparator.comparing((Notification.Alert a) -> "resolved".equals(a.state()))
            .thenComparingInt(a -> a.event().severityRank())
            .thenComparing(a -> -a.event().time()));
    emit(
        new Notification(
            Notification.DIGEST,
            Notification.DIGEST,
            null,
            List.of(s.address),
            "digest:" + s.address,
            Map.of(),
            digestId(s),
            null,
            alerts,
            List.of(),
            now,
            s.windowStart,
            now,
            alerts.size(),
            s.folded.size()));
    s.folded.clear();
    setDue(s, 0);
    // The digest closes the window; the next one starts with the next mail.
    s.windowStart = now;
    s.mails = 0;
    recipients.put(s.address, PolicyJson.write(s));
  }

  private RecipientState loadRecipient(String address) {
    byte[] v = recipients.get(address);
    if (v != null) {
      return PolicyJson.readState(v, RecipientState.class);
    }
    RecipientState s = new RecipientState();
    s.address = address;
    return s;
  }

  private void setDue(RecipientState s, long at) {
    s.due = reschedule(RECIPIENT, s.address, s.due, at);
  }

  private String digestId(String address) {
    return digestId(loadRecipient(address));
  }

  private String digestId(RecipientState s) {
    return w.messageId("digest", s.address, Long.toString(s.windowStart));
  }

  // ---- stale backlogs ------------------------------------------------------------------------

  private void stale(RoutePolicy route, RoutedEvent e, long now) {
    BacklogState b = loadBacklog(route.name());
    if (b.count == 0) {
      b.summaries++;
      b.from = e.event().time();
      b.to = e.event().time();
    }
    auditor.append(
        PolicyAudit.suppressed(
            Instant.ofEpochMilli(now), e, route.name(), null, backlogId(b), PolicyAudit.STALE));
    b.count++;
    b.from = Math.min(b.from, e.event().time());
    b.to = Math.max(b.to, e.event().time());
    String fp = Fingerprints.of(e.event());
    AlertSnapshot known = b.alerts.get(fp);
    if (known == null || known.time() <= e.event().time()) {
      if (!e.event().firing()) {
        b.alerts.remove(fp);
      } else if (known != null || b.alerts.size() < BacklogState.MAX_LISTED) {
        b.alerts.put(fp, e.event());
      } else {
        b.unlisted++;
      }
    }
    setDue(b, now + BACKLOG_QUIET.toMillis());
    backlogs.put(route.name(), PolicyJson.write(b));
    learnStale(route, e, now);
  }

  /**
   * A stale event still tells what state its alert is in, and the summary told the recipients: so a
   * fresh reading of an alert the summary listed as firing is a repeat, not news.
   */
  private void learnStale(RoutePolicy route, RoutedEvent e, long now) {
    AlertSnapshot ev = e.event();
    String key = Fingerprints.groupKey(route.name(), route.groupBy(), ev);
    GroupState g = loadGroup(key);
    String fp = Fingerprints.of(ev);
    if (g == null) {
      if (!ev.firing()) {
        return;
      }
      g = new GroupState();
      g.key = key;
      g.route = route.name();
      g.incident = now;
      g.labels = Fingerprints.groupLabels(route.groupBy(), ev);
    }
    GroupState.AlertState a = g.alerts.get(fp);
    if (a != null && (a.latest.time() > ev.time() || a.pending != null)) {
      return;
    }
    if (!ev.firing()) {
      g.alerts.remove(fp);
    } else {
      if (a == null) {
        a = new GroupState.AlertState();
        a.firstSeen = ev.time();
        g.alerts.put(fp, a);
      }
      a.latest = ev;
      a.notified = ev.status();
      if (g.lastSent == 0) {
        g.lastSent = now;
      }
      if (g.due == 0) {
        setDue(g, now + route.repeatInterval().toMillis());
      }
    }
    saveOrDrop(g, now);
  }

  private void flushBacklog(BacklogState b, long now) {
    RoutePolicy route = w.routes().get(b.route);
    if (route == null || b.count == 0) {
      setDue(b, 0);
      backlogs.put(b.route, PolicyJson.write(b));
      return;
    }
    List<Notification.Alert> alerts = new ArrayList<>();
    b.alerts.forEach(
        (fp, ev) -> alerts.add(new Notification.Alert(fp, "firing", ev, ev.time(), null, null)));
    alerts.sort(
        Comparator.comparingInt((Notification.Alert a) -> a.event().severityRank())
            .thenComparing(a -> -a.event().time()));
    emit(
        new Notification(
            Notification.BACKLOG,
            route.name(),
            null,
            route.recipients(),
            "backlog:" + route.name(),
            Map.of(),
            backlogId(b),
            null,
            alerts,
            List.of(),
            now,
            b.from,
            b.to,
            b.count,
            b.unlisted));
    b.count = 0;
    b.alerts.clear();
    b.unlisted = 0;
    setDue(b, 0);
    backlogs.put(b.route, PolicyJson.write(b));
  }

  private BacklogState loadBacklog(String route) {
    byte[] v = backlogs.get(route);
    if (v != null) {
      return PolicyJson.readState(v, BacklogState.class);
    }
    BacklogState b = new BacklogState();
    b.route = route;
    return b;
  }

  private void setDue(BacklogState b, long at) {
    b.due = reschedule(BACKLOG, b.route, b.due, at);
  }

  private String backlogId(BacklogState b) {
    return w.messageId("backlog", b.route, Long.toString(b.summaries));
  }

  // ---- what is remembered of alerts that ended ----------------------------------------------

  /**
   * Remembers an alert that left its group (resolved) for {@code dedup-window}: its last event time
   * and ids, so a replay of one of its events is recognised instead of starting a new incident.
   * Memory grows with alerts, not with events.
   */
  private void close(
      String groupKey, String fp, AlertSnapshot last, List<String> recent, long now) {
    ClosedAlert c = new ClosedAlert();
    c.key = groupKey + "|" + fp;
    c.time = last.time();
    c.recent = new ArrayList<>(recent);
    if (!c.recent.contains(last.id())) {
      c.recent.add(last.id());
    }
    setDue(c, now + w.dedupWindow().toMillis());
    this.closed.put(c.key, PolicyJson.write(c));
  }

  private ClosedAlert loadClosed(String groupKey, String fp) {
    byte[] v = closed.get(groupKey + "|" + fp);
    return v == null ? null : PolicyJson.readState(v, ClosedAlert.class);
  }

  private void deleteClosed(ClosedAlert c) {
    setDue(c, 0);
    closed.delete(c.key);
  }

  private void setDue(ClosedAlert c, long at) {
    c.until = reschedule(CLOSED, c.key, c.until, at);
  }

  // ---- time ----------------------------------------------------------------------------------

  /** Sends everything due at or before {@code now}, oldest first. */
  void tick(long now) {
    List<String> dueKeys = new ArrayList<>(due.headSet(dueKey(now, "~", ""), true));
    for (String k : dueKeys) {
      // time|kind|key
      int first = k.indexOf('|');
      int second = k.indexOf('|', first + 1);
      long at = Long.parseLong(k.substring(0, first));
      String kind = k.substring(first + 1, second);
      String key = k.substring(second + 1);
      switch (kind) {
        case GROUP -> {
          GroupState g = loadGroup(key);
          if (g == null || g.due != at) {
            due.remove(k);
          } else {
            flushGroup(g, now);
          }
        }
        case RECIPIENT -> {
          RecipientState s = loadRecipient(key);
          if (s.due != at) {
            due.remove(k);
          } else {
            flushDigest(s, now);
          }
        }
        case BACKLOG -> {
          BacklogState b = loadBacklog(key);
          if (b.due != at) {
            due.remove(k);
          } else {
            flushBacklog(b, now);
          }
        }
        case CLOSED -> {
          byte[] v = closed.get(key);
          if (v != null && PolicyJson.readState(v, ClosedAlert.class).until == at) {
            closed.delete(key);
          }
          due.remove(k);
        }
        default -> due.remove(k);
      }
    }
  }

  /**
   * Moves a timer in the due index from {@code was} to {@code at} (0: none); returns {@code at}.
   */
  private long reschedule(String kind, String key, long was, long at) {
    if (was != 0) {
      due.remove(dueKey(was, kind, key));
    }
    if (at != 0) {
      due.add(dueKey(at, kind, key));
    }
    return at;
  }

  private static String dueKey(long at, String kind, String key) {
    return String.format("%015d|%s|%s", at, kind, key);
  }

  private void emit(Notification n) {
    context.forward(new Record<>(n.group(), PolicyJson.write(n), n.created()));
  }
}

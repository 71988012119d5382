package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stale events of a route, summarised in one mail instead of mailed one by one. A summary goes out
 * {@link #QUIET} after the last stale event, but never later than {@link #FIRST_WITHIN} after the
 * first one of the backlog, nor more than {@code group-interval} after the previous summary: a
 * producer whose clock is hours behind sends a stale event every few seconds for ever, and waiting
 * for quiet would never tell anyone (issue 15, H1). Summaries wait for the end of the route's mute.
 */
final class BacklogSummaries {
  static final String KIND = "b";

  /** A summary goes out once no stale event came for this long... */
  static final Duration QUIET = Duration.ofSeconds(5);

  /** ...or this long after the backlog's first stale event, whichever comes first. */
  static final Duration FIRST_WITHIN = Duration.ofSeconds(30);

  private final PolicyTopology.Wiring w;
  private final PolicyAuditor auditor;
  private final KeyValueStore<String, byte[]> store;
  private final TimerIndex timers;
  private final Consumer<Notification> emit;
  private final GroupStore groups;

  BacklogSummaries(
      PolicyTopology.Wiring w,
      PolicyAuditor auditor,
      KeyValueStore<String, byte[]> store,
      TimerIndex timers,
      Consumer<Notification> emit,
      GroupStore groups) {
    this.w = w;
    this.auditor = auditor;
    this.store = store;
    this.timers = timers;
    this.emit = emit;
    this.groups = groups;
  }

  void rebuild() {
    TimerIndex.restore(
        store,
        (key, value) -> {
          BacklogState b = PolicyJson.readState(value, BacklogState.class);
          timers.reschedule(KIND, b.route, 0, b.due);
        });
  }

  /** Counts a stale event into its route's next summary; its audit line names that summary. */
  void add(RoutePolicy route, RoutedEvent e, long now) {
    BacklogState b = load(route.name());
    long time = e.event().time();
    if (b.count == 0) {
      b.summaries++;
      b.from = time;
      b.to = time;
      b.pendingSince = now;
    } else if (b.pendingSince == 0) {
      b.pendingSince = now; // kept by a version without the field
    }
    auditor.append(
        PolicyAudit.suppressed(
            Instant.ofEpochMilli(now), e, route.name(), null, messageId(b), PolicyAudit.STALE));
    b.count++;
    b.from = Math.min(b.from, time);
    b.to = Math.max(b.to, time);
    String fp = Fingerprints.of(e.event());
    AlertSnapshot known = b.alerts.get(fp);
    if (known == null || known.time() <= time) {
      if (!e.event().firing()) {
        b.alerts.remove(fp);
      } else if (known != null || b.alerts.size() < BacklogState.MAX_LISTED) {
        b.alerts.put(fp, e.event());
      } else {
        b.unlisted++;
      }
    }
    long due = dueAfter(b, route, now);
    if (b.due > due && route.mutedAt(Instant.ofEpochMilli(now))) {
      due = b.due; // held for the mute; a stale event must not pull it into the mute
    }
    setDue(b, due);
    store.put(route.name(), PolicyJson.write(b));
  }

  /**
   * A stale event still tells what state its alert is in, and the summary told the recipients: so a
   * fresh reading of an alert the summary listed as firing is a repeat, not news.
   */
  void learn(RoutePolicy route, RoutedEvent e, long now) {
    AlertSnapshot ev = e.event();
    String key = Fingerprints.groupKey(route.name(), route.groupBy(), ev);
    GroupState g = groups.load(key);
    String fp = Fingerprints.of(ev);
    if (g == null) {
      if (!ev.firing()) {
        return;
      }
      g = GroupState.open(route, key, ev, now);
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
      a.refreshed = now;
      a.timedOut = false;
      groups.armExpiry(g, route, now);
      if (g.lastSent == 0) {
        g.lastSent = now;
      }
      if (g.due == 0) {
        groups.setDue(g, now + route.repeatInterval().toMillis());
      }
    }
    groups.saveOrDrop(g);
  }

  /**
   * {@link #QUIET} from now, but no earlier than {@code group-interval} after the last summary and
   * no later than the backlog's deadline.
   */
  static long dueAfter(BacklogState b, RoutePolicy route, long now) {
    long earliest = b.lastSent == 0 ? 0 : b.lastSent + route.groupInterval().toMillis();
    long latest = Math.max(b.pendingSince + FIRST_WITHIN.toMillis(), earliest);
    return Math.max(earliest, Math.min(now + QUIET.toMillis(), latest));
  }

  /** Sends a summary whose timer came due, unless the timer is stale. */
  void due(TimerIndex.Timer t, long now) {
    BacklogState b = load(t.key());
    if (b.due != t.at()) {
      timers.remove(t);
      return;
    }
    RoutePolicy route = w.routes().get(b.route);
    if (route == null || b.count == 0) {
      setDue(b, 0);
      store.put(b.route, PolicyJson.write(b));
      return;
    }
    Instant at = Instant.ofEpochMilli(now);
    if (route.mutedAt(at)) {
      setDue(b, MuteWindow.unmutedFrom(route.mute(), at).toEpochMilli());
      store.put(b.route, PolicyJson.write(b));
      return;
    }
    send(b, route, now);
  }

  private void send(BacklogState b, RoutePolicy route, long now) {
    List<Notification.Alert> alerts = new ArrayList<>();
    b.alerts.forEach(
        (fp, ev) -> alerts.add(new Notification.Alert(fp, "firing", ev, ev.time(), null, null)));
    alerts.sort(
        Comparator.comparingInt((Notification.Alert a) -> a.event().severityRank())
            .thenComparing(a -> -a.event().time()));
    List<Notification.Alert> listed = NotificationBudget.fit(alerts, BacklogState.MAX_LISTED);
    emit.accept(
        new Notification(
            Notification.BACKLOG,
            route.name(),
            null,
            route.recipients(),
            "backlog:" + route.name(),
            Map.of(),
            messageId(b),
            null,
            listed,
            List.of(),
            now,
            b.from,
            b.to,
            b.count,
            b.unlisted + alerts.size() - listed.size()));
    b.count = 0;
    b.alerts.clear();
    b.unlisted = 0;
    b.pendingSince = 0;
    b.lastSent = now;
    setDue(b, 0);
    store.put(b.route, PolicyJson.write(b));
  }

  private BacklogState load(String route) {
    byte[] v = store.get(route);
    if (v != null) {
      return PolicyJson.readState(v, BacklogState.class);
    }
    BacklogState b = new BacklogState();
    b.route = route;
    return b;
  }

  private void setDue(BacklogState b, long at) {
    b.due = timers.reschedule(KIND, b.route, b.due, at);
  }

  private String messageId(BacklogState b) {
    return w.messageId("backlog", b.route, Long.toString(b.summaries));
  }
}

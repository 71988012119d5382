package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stale events of a route, summarised in one mail instead of mailed one by one, in the mail step
 * keyed by route (so one route has one summary however its groups spread). A summary goes out
 * {@link #QUIET} after the last stale event, but never later than {@link #FIRST_WITHIN} after the
 * first one of the backlog, nor more than {@code group-interval} after the previous summary: a
 * producer whose clock is hours behind sends a stale event every few seconds for ever, and waiting
 * for quiet would never tell anyone (issue 15, H1). Summaries wait for the end of the route's mute.
 */
final class BacklogSummaries {
  static final String KIND = "b";

  /** At most this many alerts are listed; the rest are counted. */
  static final int MAX_LISTED = 200;

  /** A summary goes out once no stale event came for this long... */
  static final Duration QUIET = Duration.ofSeconds(5);

  /** ...or this long after the backlog's first stale event, whichever comes first. */
  static final Duration FIRST_WITHIN = Duration.ofSeconds(30);

  private final PolicyTopology.Wiring w;
  private final PolicyAuditor auditor;
  private final TypedStore<Backlog> store;
  private final TypedStore<Folded> alerts;
  private final TimerIndex timers;
  private final Consumer<Notification> emit;

  BacklogSummaries(
      PolicyTopology.Wiring w,
      PolicyAuditor auditor,
      KeyValueStore<String, byte[]> store,
      KeyValueStore<String, byte[]> alerts,
      TimerIndex timers,
      Consumer<Notification> emit) {
    this.w = w;
    this.auditor = auditor;
    this.store = new TypedStore<>(store, Backlog.class, w.observer());
    this.alerts = new TypedStore<>(alerts, Folded.class, w.observer());
    this.timers = timers;
    this.emit = emit;
  }

  void rebuild() {
    store.forEach((key, b) -> timers.reschedule(KIND, key, 0, b.due()));
  }

  private static String alertPrefix(String route) {
    return "backlog\u0001" + route + "\u0001";
  }

  /** Counts a stale event into its route's next summary; its audit line names that summary. */
  void add(StaleEvent e, long now) {
    RoutePolicy route = w.routes().get(e.route());
    if (route == null) {
      auditor.append(
          PolicyAudit.suppressed(
              Instant.ofEpochMilli(now),
              e.origin(),
              e.route(),
              null,
              null,
              PolicyAudit.ROUTE_REMOVED));
      return;
    }
    if (e.heldReason() != null) {
      // Silenced or inhibited: not told by the summary, mailed when that ends if it still fires.
      auditor.append(
          PolicyAudit.suppressed(
                  Instant.ofEpochMilli(now), e.origin(), route.name(), null, null, e.heldReason())
              .withCause(e.heldCause()));
      return;
    }
    long time = e.event().time();
    Backlog b = load(route.name()).counted(time, now);
    auditor.append(
        PolicyAudit.suppressed(
            Instant.ofEpochMilli(now),
            e.origin(),
            route.name(),
            null,
            messageId(b),
            PolicyAudit.STALE));
    String fp = Fingerprints.of(e.event());
    String k = alertPrefix(route.name()) + fp;
    Folded known = alerts.get(k);
    if (known == null || known.alert().event().time() <= time) {
      if (!e.event().firing()) {
        if (known != null) {
          alerts.delete(k);
          b = b.withKept(-1, 0);
        }
      } else if (known != null || b.kept() < MAX_LISTED) {
        alerts.put(
            k,
            new Folded(
                Folded.VERSION,
                new Notification.Alert(fp, "firing", e.event(), time, null, null),
                0));
        b = b.withKept(known == null ? 1 : 0, 0);
      } else {
        w.observer().didNotFit("backlog");
        b = b.withKept(0, 1);
      }
    }
    long due = dueAfter(b, route, now);
    if (b.due() > due && route.mutedAt(Instant.ofEpochMilli(now))) {
      due = b.due(); // held for the mute; a stale event must not pull it into the mute
    }
    store.put(route.name(), setDue(b, due));
  }

  /**
   * {@link #QUIET} from now, but no earlier than {@code group-interval} after the last summary and
   * no later than the backlog's deadline.
   */
  static long dueAfter(Backlog b, RoutePolicy route, long now) {
    long earliest = b.lastSent() == 0 ? 0 : b.lastSent() + route.groupInterval().toMillis();
    long latest = Math.max(b.pendingSince() + FIRST_WITHIN.toMillis(), earliest);
    return Math.max(earliest, Math.min(now + QUIET.toMillis(), latest));
  }

  /** Sends a summary whose timer came due, unless the timer is stale. */
  void due(TimerIndex.Timer t, long now) {
    Backlog b = store.get(t.key());
    if (b == null || b.due() != t.at()) {
      timers.remove(t);
      return;
    }
    RoutePolicy route = w.routes().get(b.route());
    if (route == null || b.count() == 0) {
      store.put(b.route(), setDue(b, 0));
      return;
    }
    Instant at = Instant.ofEpochMilli(now);
    if (route.mutedAt(at)) {
      store.put(b.route(), setDue(b, MuteWindow.unmutedFrom(route.mute(), at).toEpochMilli()));
      return;
    }
    List<Notification.Alert> kept = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    alerts.forEachWithPrefix(
        alertPrefix(b.route()),
        (k, f) -> {
          keys.add(k);
          kept.add(f.alert());
        });
    kept.sort(
        Comparator.comparingInt((Notification.Alert a) -> a.event().severityRank())
            .thenComparing(a -> -a.event().time()));
    List<Notification.Alert> listed = NotificationBudget.fit(kept, MAX_LISTED);
    emit.accept(
        new Notification.BacklogSummary(
            route.name(),
            route.recipients(Instant.ofEpochMilli(now)),
            messageId(b),
            listed,
            now,
            b.from(),
            b.to(),
            b.count(),
            b.unlisted() + kept.size() - listed.size()));
    keys.forEach(alerts::delete);
    store.put(b.route(), setDue(b, 0).sent(now));
  }

  private Backlog load(String route) {
    Backlog b = store.get(route);
    return b != null ? b : Backlog.empty(route);
  }

  private Backlog setDue(Backlog b, long at) {
    return b.withDue(timers.reschedule(KIND, b.route(), b.due(), at));
  }

  private String messageId(Backlog b) {
    return w.messageId("backlog", b.route(), Long.toString(b.summaries()));
  }
}

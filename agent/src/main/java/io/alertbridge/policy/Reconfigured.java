package io.alertbridge.policy;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups that the configuration no longer has: their route was removed, or its {@code group-by}
 * changed, so their alerts now belong to other groups (issue 16). They are found when a task starts
 * and closed on its first tick: an audit line for each alert ({@code route-removed} or {@code
 * regrouped}, naming its pending event, else its latest) and no further mail from the old group,
 * never a reminder for ever. A regrouped alert moves to its new group ({@link ImportedAlert}, sent
 * to the task that owns that group) with what its recipients were told, so its resolution is mailed
 * (in the new group's thread) rather than taken for an alert nobody heard of.
 */
final class Reconfigured {
  private static final Logger log = LoggerFactory.getLogger(Reconfigured.class);

  static final String KIND = "z";

  private final PolicyTopology.Wiring w;
  private final GroupStore groups;
  private final PolicyAuditor auditor;
  private final java.util.function.Consumer<ImportedAlert> move;

  Reconfigured(
      PolicyTopology.Wiring w,
      GroupStore groups,
      PolicyAuditor auditor,
      java.util.function.Consumer<ImportedAlert> move) {
    this.w = w;
    this.groups = groups;
    this.auditor = auditor;
    this.move = move;
  }

  /** Why {@code g} must close under this configuration, or null when it stays. */
  String reason(GroupHead g) {
    RoutePolicy route = w.routes().get(g.route());
    if (route == null) {
      return PolicyAudit.ROUTE_REMOVED;
    }
    return route.groupBy().equals(g.groupBy()) ? null : PolicyAudit.REGROUPED;
  }

  /** Closes the group of the timer if it is still to close. */
  void due(TimerIndex.Timer t, long now) {
    GroupHead g = groups.head(t.key());
    if (g == null) {
      return;
    }
    String reason = reason(g);
    if (reason == null) {
      return;
    }
    log.info("closing group {} of route {}: {}", g.key(), g.route(), reason);
    Instant at = Instant.ofEpochMilli(now);
    GroupHead[] head = {g};
    groups.forEachAlert(
        g,
        (fp, a) -> {
          Pending p = a.pending();
          if (p == null) {
            // Its last event was mailed or audited already: this line says the alert left.
            p = new Pending(a.latest().id(), null, -1, -1);
          }
          auditor.append(PolicyAudit.suppressed(at, p, g.route(), g.key(), null, reason));
          head[0] = groups.putAlert(head[0], fp, a, null);
          RoutePolicy route = w.routes().get(g.route());
          if (route != null) {
            // Its event is accounted for by the line above; the alert itself lives on.
            AlertEntry moved = a.withPending(null);
            move.accept(
                new ImportedAlert(
                    ImportedAlert.VERSION,
                    route.name(),
                    Fingerprints.groupKey(route.name(), route.groupBy(), a.latest()),
                    Fingerprints.groupLabels(route.groupBy(), a.latest()),
                    now,
                    0,
                    null,
                    // Told in the old thread just now, as far as reminders go: the next one is a
                    // repeat-interval away, not due at once in a thread the recipients never saw.
                    now,
                    fp,
                    moved));
          }
        });
    groups.delete(head[0]);
  }
}

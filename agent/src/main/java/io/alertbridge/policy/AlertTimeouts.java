package io.alertbridge.policy;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code alert-timeout}, Alertmanager's {@code resolve_timeout}: a firing alert with no reading for
 * that long ends, as its route says: reported once as timed out, or resolved as if a resolved
 * reading came. Either way it leaves its group with the group's next mail, so a dead source or a
 * label that changes with every reading cannot fire, and remind, for ever (issue 15, M6).
 */
final class AlertTimeouts {
  /** What a look at a group's alerts changed, and when to look again (0: no firing alert left). */
  record Outcome(boolean changed, long next) {}

  private final PolicyAuditor auditor;
  private final ClosedAlerts closed;

  AlertTimeouts(PolicyAuditor auditor, ClosedAlerts closed) {
    this.auditor = auditor;
    this.closed = closed;
  }

  /**
   * Ends the group's firing alerts not refreshed since {@code now - alert-timeout}. An alert that
   * no mail announced, or whose route does not mail resolutions, just leaves when it resolves.
   */
  Outcome expire(GroupState g, RoutePolicy route, String lastMessageId, long now) {
    long timeout = route.alertTimeout().toMillis();
    long next = 0;
    boolean changed = false;
    for (Iterator<Map.Entry<String, GroupState.AlertState>> it = g.alerts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, GroupState.AlertState> entry = it.next();
      GroupState.AlertState a = entry.getValue();
      if (!a.firing()) {
        continue;
      }
      // State of a version without the field: its event time is the best guess of its last reading.
      long ends = (a.refreshed != 0 ? a.refreshed : a.latest.time()) + timeout;
      if (ends > now) {
        next = next == 0 ? ends : Math.min(next, ends);
      } else if (!route.resolveOnTimeout()) {
        a.timedOut = true;
        changed = true;
      } else if (a.notified == null || !route.sendResolved()) {
        if (a.pending != null) {
          auditor.append(
              PolicyAudit.suppressed(
                  Instant.ofEpochMilli(now),
                  a.pending,
                  route.name(),
                  g.key,
                  lastMessageId,
                  PolicyAudit.TIMED_OUT));
        }
        it.remove();
        closed.close(g.key, entry.getKey(), a.latest, a.recent, now);
      } else {
        a.latest = a.latest.resolved();
        changed = true;
      }
    }
    return new Outcome(changed, next);
  }
}

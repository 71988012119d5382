package io.alertbridge.policy;

import java.time.Instant;

/**
 * {@code alert-timeout}, Alertmanager's {@code resolve_timeout}: a firing alert with no reading for
 * that long ends, as its route says: reported once as timed out, or resolved as if a resolved
 * reading came. Either way it leaves its group with the group's next mail, so a dead source or a
 * label that changes with every reading cannot fire, and remind, for ever (issue 15, M6).
 *
 * <p>A look reads the whole group (a store scan), so looks are spaced by at least {@link
 * #MIN_GAP_DIVISOR}th of the timeout: a group of many alerts read at staggered times would
 * otherwise be scanned at each alert's deadline. An alert thus ends up to that much late.
 */
final class AlertTimeouts {
  static final int MIN_GAP_DIVISOR = 20;

  /** What a look at a group's alerts changed, and when to look again (0: no firing alert left). */
  record Outcome(GroupHead head, boolean changed, long next) {}

  private final GroupStore groups;
  private final PolicyAuditor auditor;
  private final ClosedAlerts closed;

  AlertTimeouts(GroupStore groups, PolicyAuditor auditor, ClosedAlerts closed) {
    this.groups = groups;
    this.auditor = auditor;
    this.closed = closed;
  }

  /**
   * Ends the group's firing alerts not refreshed since {@code now - alert-timeout}. An alert that
   * no mail announced, or whose route does not mail resolutions, just leaves when it resolves.
   */
  Outcome expire(GroupHead g, RoutePolicy route, long now) {
    long timeout = route.alertTimeout().toMillis();
    String last = groups.lastMessageId(g, route);
    String key = g.key();
    long[] next = {0};
    boolean[] changed = {false};
    GroupHead[] head = {g};
    groups.forEachAlert(
        g,
        (fp, a) -> {
          if (!a.firing()) {
            return;
          }
          long ends = a.refreshed() + timeout;
          if (ends > now) {
            next[0] = next[0] == 0 ? ends : Math.min(next[0], ends);
          } else if (!route.resolveOnTimeout()) {
            head[0] = groups.putAlert(head[0], fp, a, a.withTimedOut());
            changed[0] = true;
          } else if (a.notified() == null || !route.sendResolved()) {
            if (a.pending() != null) {
              auditor.append(
                  PolicyAudit.suppressed(
                      Instant.ofEpochMilli(now),
                      a.pending(),
                      route.name(),
                      key,
                      last,
                      PolicyAudit.TIMED_OUT));
            }
            head[0] = groups.putAlert(head[0], fp, a, null);
            closed.close(key, fp, a, now);
          } else {
            head[0] = groups.putAlert(head[0], fp, a, a.resolvedByTimeout());
            changed[0] = true;
          }
        });
    long gap = Math.max(1000, timeout / MIN_GAP_DIVISOR);
    long at = next[0] == 0 ? 0 : Math.max(next[0], now + gap);
    return new Outcome(head[0], changed[0], at);
  }
}

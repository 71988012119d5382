package io.alertbridge.policy;

/**
 * A route's pending backlog summary: counts only; the alerts it lists are {@link Folded} entries of
 * their own, at most {@link BacklogSummaries#MAX_LISTED}.
 *
 * @param summaries summaries sent for this route so far; part of each one's Message-ID
 * @param count stale events in the pending summary, from {@code from} to {@code to} (event times)
 * @param kept alerts kept for the list
 * @param unlisted firing alerts seen beyond the list
 * @param due when the summary is sent; 0 when nothing is pending
 * @param pendingSince when the first stale event of the pending summary came (processing time)
 * @param lastSent when the last summary was sent; 0 before the first
 */
record Backlog(
    int v,
    String route,
    long summaries,
    long count,
    long from,
    long to,
    int kept,
    long unlisted,
    long due,
    long pendingSince,
    long lastSent)
    implements StateValue {
  static final int VERSION = 1;

  Backlog {
    StateValue.check(v == VERSION, "backlog version " + v + ", expected " + VERSION);
    StateValue.check(route != null && count >= 0 && kept >= 0, "backlog counts");
  }

  static Backlog empty(String route) {
    return new Backlog(VERSION, route, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** One more stale event of event time {@code time}, read {@code now}. */
  Backlog counted(long time, long now) {
    if (count == 0) {
      return new Backlog(
          v, route, summaries + 1, 1, time, time, kept, unlisted, due, now, lastSent);
    }
    return new Backlog(
        v,
        route,
        summaries,
        count + 1,
        Math.min(from, time),
        Math.max(to, time),
        kept,
        unlisted,
        due,
        pendingSince,
        lastSent);
  }

  Backlog withKept(int delta, long moreUnlisted) {
    return new Backlog(
        v,
        route,
        summaries,
        count,
        from,
        to,
        kept + delta,
        unlisted + moreUnlisted,
        due,
        pendingSince,
        lastSent);
  }

  Backlog withDue(long at) {
    return new Backlog(
        v, route, summaries, count, from, to, kept, unlisted, at, pendingSince, lastSent);
  }

  /** After the summary went out at {@code now}. */
  Backlog sent(long now) {
    return new Backlog(v, route, summaries, 0, 0, 0, 0, 0, due, 0, now);
  }
}

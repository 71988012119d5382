package io.alertbridge.policy;

import java.util.List;

/**
 * What is remembered of an alert that left its group, for {@code dedup-window}: its last event time
 * and ids, so a replay of one of its events is recognised instead of starting a new incident.
 *
 * @param until when it is forgotten
 * @param flips its recent changes between firing and resolved ({@link Flapping}): an alert that
 *     chatters is mailed resolved and leaves its group each time, and must not start afresh
 */
record ClosedEntry(int v, long time, List<String> recent, long until, List<Long> flips)
    implements StateValue {
  /** Version 2 (issue 17) added flips; a version 1 value reads as 2 without them. */
  static final int VERSION = 2;

  ClosedEntry(int v, long time, List<String> recent, long until) {
    this(v, time, recent, until, null);
  }

  ClosedEntry {
    StateValue.check(v == VERSION || v == 1, "closed alert version " + v + ", expected " + VERSION);
    v = VERSION;
    flips = flips == null ? List.of() : List.copyOf(flips);
    StateValue.check(flips.size() <= AlertEntry.MAX_FLIPS, "closed alert keeps " + flips.size());
    recent = recent == null ? List.of() : List.copyOf(recent);
    StateValue.check(
        recent.size() <= AlertEntry.REMEMBERED + 1, "closed alert remembers " + recent.size());
  }
}

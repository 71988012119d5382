package io.alertbridge.policy;

import java.util.List;

/**
 * What is remembered of an alert that left its group, for {@code dedup-window}: its last event time
 * and ids, so a replay of one of its events is recognised instead of starting a new incident.
 *
 * @param until when it is forgotten
 */
record ClosedEntry(int v, long time, List<String> recent, long until) implements StateValue {
  static final int VERSION = 1;

  ClosedEntry {
    StateValue.check(v == VERSION, "closed alert version " + v + ", expected " + VERSION);
    recent = recent == null ? List.of() : List.copyOf(recent);
    StateValue.check(
        recent.size() <= AlertEntry.REMEMBERED + 1, "closed alert remembers " + recent.size());
  }
}

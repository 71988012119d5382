package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What is due when, in memory: derived from the due times kept in the stores, so the policy
 * rebuilds it from them when a task starts rather than writing a changelog of its own. An entry
 * whose store value no longer carries its time is stale and simply dropped when it comes due.
 *
 * <p>With a {@link #horizon(long) horizon} it holds only the timers due up to it: a storm leaves a
 * hundred thousand groups whose next look is a repeat hours away, and their index entries would
 * take as much heap as their state (issue 16). The owner moves the horizon on and adds the timers
 * that came within it from its stores ({@link GroupProcessor}).
 */
final class TimerIndex {
  /** One timer: a kind of state (group, recipient, …) and its store key. */
  record Timer(long at, String kind, String key) {}

  private final TreeSet<Timer> due =
      new TreeSet<>(
          java.util.Comparator.comparingLong(Timer::at)
              .thenComparing(Timer::kind)
              .thenComparing(Timer::key));

  private long horizon = Long.MAX_VALUE;

  /** Moves a timer from {@code was} to {@code at} (0: none); returns {@code at}. */
  long reschedule(String kind, String key, long was, long at) {
    if (was != 0) {
      due.remove(new Timer(was, kind, key));
    }
    if (at != 0 && at <= horizon) {
      due.add(new Timer(at, kind, key));
    }
    return at;
  }

  /** Timers due later than {@code at} are not held from now on, until it is moved again. */
  void horizon(long at) {
    horizon = at;
  }

  long horizon() {
    return horizon;
  }

  /** The timers due at or before {@code now}, oldest first (a copy: callers reschedule). */
  List<Timer> dueAt(long now) {
    List<Timer> out = new ArrayList<>();
    for (Timer t : due) {
      if (t.at() > now) {
        break;
      }
      out.add(t);
    }
    return out;
  }

  void remove(Timer t) {
    due.remove(t);
  }

  boolean contains(Timer t) {
    return due.contains(t);
  }

  int size() {
    return due.size();
  }
}

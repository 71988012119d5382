package io.alertbridge.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(TimerIndex.class);

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

  /**
   * Fires everything due at or before {@code now}, oldest first; returns how many failed. A timer
   * that fails is logged, counted and dropped: a punctuation has no input record to skip, so one
   * unreadable state value would otherwise stop the stream thread, and with it every route, for
   * good. The errors one state value can cause count too; Kafka's own exceptions (the store, the
   * producer) are no timer's fault and propagate.
   */
  int fireDue(long now, Consumer<Timer> fire, PolicyObserver observer) {
    int failed = 0;
    for (Timer t : dueAt(now)) {
      try {
        fire.accept(t);
      } catch (KafkaException e) {
        throw e;
      } catch (RuntimeException | StackOverflowError | AssertionError e) {
        remove(t);
        failed++;
        log.error(
            "policy timer {} for {} due at {} failed and is dropped",
            t.kind(),
            t.key(),
            Instant.ofEpochMilli(t.at()),
            e);
        observer.timerFailed(t.kind());
      }
    }
    return failed;
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

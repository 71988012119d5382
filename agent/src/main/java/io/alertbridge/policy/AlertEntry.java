package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * One alert of a group, its own store entry (key: group key, '|', fingerprint), so that a reading
 * reads and writes its alert and its group's {@link GroupHead}, never the whole group (issue 16).
 * Bounded: its snapshot by {@link GroupPolicy#MAX_SNAPSHOT_BYTES}, its ids by {@link #REMEMBERED}.
 *
 * @param notified the status the recipients were last told: firing, resolved, timed-out, or null
 *     (never mailed)
 * @param pending the latest event not yet carried by a mail or audited otherwise; null if none
 * @param recent the ids of its last {@link #REMEMBERED} events, to recognise a retried or replayed
 *     one
 * @param firstSeen the event time of its first reading in this incident
 * @param refreshed when its latest reading was processed (this clock), for {@code alert-timeout}
 * @param timedOut no reading came within {@code alert-timeout}; the next mail reports it, then it
 *     leaves
 */
record AlertEntry(
    int v,
    AlertSnapshot latest,
    String notified,
    Pending pending,
    List<String> recent,
    long firstSeen,
    long refreshed,
    boolean timedOut)
    implements StateValue {
  static final int VERSION = 1;

  /** How many event ids an alert remembers. */
  static final int REMEMBERED = 16;

  /** The state of an alert whose readings stopped, in the mail that reports it. */
  static final String TIMED_OUT = "timed-out";

  AlertEntry {
    StateValue.check(v == VERSION, "alert entry version " + v + ", expected " + VERSION);
    StateValue.check(latest != null && latest.id() != null, "alert entry without its reading");
    recent = recent == null ? List.of() : List.copyOf(recent);
    StateValue.check(recent.size() <= REMEMBERED, "alert entry remembers " + recent.size());
  }

  /** A new alert's first reading, processed at {@code now}. */
  static AlertEntry first(AlertSnapshot ev, List<String> recent, long now) {
    return new AlertEntry(VERSION, ev, null, null, recent, ev.time(), now, false).read(ev, now);
  }

  /** After a reading: its latest, remembered, refreshed, no longer timed out. */
  AlertEntry read(AlertSnapshot ev, long now) {
    List<String> ids = new ArrayList<>(recent);
    if (!ids.contains(ev.id())) {
      ids.add(ev.id());
    }
    while (ids.size() > REMEMBERED) {
      ids.remove(0);
    }
    return new AlertEntry(v, ev, notified, pending, ids, firstSeen, now, false);
  }

  AlertEntry withPending(Pending p) {
    return new AlertEntry(v, latest, notified, p, recent, firstSeen, refreshed, timedOut);
  }

  /** The recipients were told its state; nothing is pending. */
  AlertEntry told() {
    return new AlertEntry(v, latest, state(), null, recent, firstSeen, refreshed, timedOut);
  }

  /** What a stale reading (summarised, not mailed) taught: the recipients know it fires. */
  AlertEntry toldBySummary(AlertSnapshot ev, long now) {
    AlertEntry a = read(ev, now);
    return new AlertEntry(v, ev, ev.status(), null, a.recent, firstSeen, now, false);
  }

  AlertEntry withTimedOut() {
    return new AlertEntry(v, latest, notified, pending, recent, firstSeen, refreshed, true);
  }

  /** Resolved without a reading: {@code alert-timeout} with {@code on-alert-timeout: resolve}. */
  AlertEntry resolvedByTimeout() {
    return new AlertEntry(
        v, latest.resolved(), notified, pending, recent, firstSeen, refreshed, false);
  }

  /** What the recipients are to be told: its status, or {@link #TIMED_OUT}. */
  String state() {
    return timedOut ? TIMED_OUT : latest.status();
  }

  /** True when the recipients have not been told this alert's current state. */
  boolean changed() {
    return notified == null || !notified.equals(state());
  }

  boolean firing() {
    return latest.firing() && !timedOut;
  }
}

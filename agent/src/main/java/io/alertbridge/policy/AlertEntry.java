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
 * @param watched it is on the watched-alerts topic as firing ({@link WatchedAlerts}): an inhibition
 *     rule's source, or covered by a silence that expires on resolve
 * @param flips when (this clock) it last changed between firing and resolved, at most {@link
 *     #MAX_FLIPS}, for {@code flap-detection}
 * @param flappingSince when it was found flapping; 0 when it is not
 */
record AlertEntry(
    int v,
    AlertSnapshot latest,
    String notified,
    Pending pending,
    List<String> recent,
    long firstSeen,
    long refreshed,
    boolean timedOut,
    boolean watched,
    List<Long> flips,
    long flappingSince)
    implements StateValue {
  /** Version 2 (issue 17) added watched, flips and flappingSince; a version 1 value reads as 2. */
  static final int VERSION = 2;

  /** Flip times kept: more than any sensible {@code flap-detection.transitions}. */
  static final int MAX_FLIPS = 101;

  /** What the recipients were told of an alert found flapping: its [FLAPPING] mail. */
  static final String FLAPPING = "flapping";

  /** How many event ids an alert remembers. */
  static final int REMEMBERED = 16;

  /** The state of an alert whose readings stopped, in the mail that reports it. */
  static final String TIMED_OUT = "timed-out";

  AlertEntry {
    StateValue.check(v == VERSION || v == 1, "alert entry version " + v + ", expected " + VERSION);
    v = VERSION;
    flips = flips == null ? List.of() : List.copyOf(flips);
    StateValue.check(flips.size() <= MAX_FLIPS, "alert entry keeps " + flips.size() + " flips");
    StateValue.check(latest != null && latest.id() != null, "alert entry without its reading");
    recent = recent == null ? List.of() : List.copyOf(recent);
    StateValue.check(recent.size() <= REMEMBERED, "alert entry remembers " + recent.size());
  }

  /** A new alert's first reading, processed at {@code now}. */
  static AlertEntry first(AlertSnapshot ev, List<String> recent, long now) {
    return new AlertEntry(VERSION, ev, null, null, recent, ev.time(), now, false, false, null, 0)
        .read(ev, now);
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
    return new AlertEntry(
        v, ev, notified, pending, ids, firstSeen, now, false, watched, flips, flappingSince);
  }

  AlertEntry withPending(Pending p) {
    return new AlertEntry(
        v,
        latest,
        notified,
        p,
        recent,
        firstSeen,
        refreshed,
        timedOut,
        watched,
        flips,
        flappingSince);
  }

  /** The recipients were told its state; nothing is pending. */
  AlertEntry told() {
    return new AlertEntry(
        v,
        latest,
        state(),
        null,
        recent,
        firstSeen,
        refreshed,
        timedOut,
        watched,
        flips,
        flappingSince);
  }

  /** What a stale reading (summarised, not mailed) taught: the recipients know it fires. */
  AlertEntry toldBySummary(AlertSnapshot ev, long now) {
    AlertEntry a = read(ev, now);
    return new AlertEntry(
        v, ev, ev.status(), null, a.recent, firstSeen, now, false, watched, flips, flappingSince);
  }

  AlertEntry withTimedOut() {
    return new AlertEntry(
        v,
        latest,
        notified,
        pending,
        recent,
        firstSeen,
        refreshed,
        true,
        watched,
        flips,
        flappingSince);
  }

  /** Resolved without a reading: {@code alert-timeout} with {@code on-alert-timeout: resolve}. */
  AlertEntry resolvedByTimeout() {
    return new AlertEntry(
        v,
        latest.resolved(),
        notified,
        pending,
        recent,
        firstSeen,
        refreshed,
        false,
        watched,
        flips,
        flappingSince);
  }

  AlertEntry withWatched(boolean w) {
    return new AlertEntry(
        v,
        latest,
        notified,
        pending,
        recent,
        firstSeen,
        refreshed,
        timedOut,
        w,
        flips,
        flappingSince);
  }

  /** With its flip history and flapping state ({@link Flapping}). */
  AlertEntry withFlaps(List<Long> f, long since) {
    return new AlertEntry(
        v, latest, notified, pending, recent, firstSeen, refreshed, timedOut, watched, f, since);
  }

  boolean flapping() {
    return flappingSince != 0;
  }

  /**
   * What the recipients are to be told: {@link #FLAPPING} while it flaps (they are told once), else
   * its status, or {@link #TIMED_OUT}.
   */
  String state() {
    if (flapping()) {
      return FLAPPING;
    }
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

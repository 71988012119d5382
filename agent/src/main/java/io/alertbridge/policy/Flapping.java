package io.alertbridge.policy;

import io.alertbridge.config.FlapSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Chattering alarms (ISA-18.2; Nagios's flap detection): an alert that changes between firing and
 * resolved more than {@code transitions} times within {@code window} is flapping. Its recipients
 * are told once ({@code [FLAPPING]}), then nothing until it has been stable for {@code quiet}, then
 * once more with its state. Alertmanager leaves this to the sender (prometheus/alertmanager#204); a
 * plant's sensor on a threshold is exactly that sender.
 */
final class Flapping {
  private Flapping() {}

  /**
   * The alert after a reading: a change of state is a flip; too many flips in the window make it
   * flapping. {@code wasFiring}: its state before the reading, false for one that had resolved and
   * left its group, null for its first.
   */
  static AlertEntry read(Boolean wasFiring, AlertEntry after, FlapSettings f, long now) {
    if (f == null) {
      return after.flapping() || !after.flips().isEmpty() ? after.withFlaps(List.of(), 0) : after;
    }
    boolean flipped = wasFiring != null && wasFiring != after.latest().firing();
    if (!flipped) {
      return after;
    }
    List<Long> flips = new ArrayList<>();
    long from = now - f.window().toMillis();
    for (long t : after.flips()) {
      if (t > from) {
        flips.add(t);
      }
    }
    flips.add(now);
    int keep = Math.min(AlertEntry.MAX_FLIPS, f.transitions() + 1);
    while (flips.size() > keep) {
      flips.remove(0);
    }
    long since = after.flappingSince();
    if (since == 0 && flips.size() > f.transitions()) {
      since = now;
    }
    return after.withFlaps(flips, since);
  }

  /** When a flapping alert will have been stable for {@code quiet}; 0 when it is not flapping. */
  static long quietAt(AlertEntry a, FlapSettings f) {
    if (!a.flapping() || f == null) {
      return 0;
    }
    long last = a.flips().isEmpty() ? a.flappingSince() : a.flips().get(a.flips().size() - 1);
    return last + f.quiet().toMillis();
  }

  /**
   * The alert once stable for {@code quiet}: no longer flapping, and changed (its state differs
   * from the {@code flapping} its recipients were told), so the next mail tells its state.
   */
  static AlertEntry settle(AlertEntry a, FlapSettings f, long now) {
    long quiet = quietAt(a, f);
    if (quiet == 0 && a.flapping()) {
      // Flap detection was turned off for its route: it stops flapping now.
      return a.withFlaps(List.of(), 0);
    }
    if (quiet != 0 && now >= quiet) {
      return a.withFlaps(List.of(), 0);
    }
    return a;
  }

  /** How often it changed within the window: what its [FLAPPING] mail says. */
  static int changes(AlertEntry a) {
    return a.flips().size();
  }
}

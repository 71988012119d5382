package io.alertbridge.imap;

import java.time.Duration;

/** Doubling waits from {@code initial} up to {@code max}; {@link #reset} after a success. */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max.compareTo(initial) < 0 ? initial : max;
    this.next = initial;
  }

  Duration next() {
    Duration now = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return now;
  }

  void reset() {
    next = initial;
  }
}

package io.alertbridge.config;

import java.time.Duration;

/**
 * A route's chattering-alarm detection (ISA-18.2): an alert that changes between firing and
 * resolved more than {@code transitions} times within {@code window} is flapping; its recipients
 * get one {@code [FLAPPING]} mail, then nothing about it until it has been stable for {@code
 * quiet}, then one mail with its state.
 */
public record FlapSettings(Integer transitions, Duration window, Duration quiet) {
  public static final int DEFAULT_TRANSITIONS = 6;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
  public static final Duration DEFAULT_QUIET = Duration.ofMinutes(15);

  public FlapSettings {
    transitions = transitions == null ? DEFAULT_TRANSITIONS : transitions;
    window = window == null ? DEFAULT_WINDOW : window;
    quiet = quiet == null ? DEFAULT_QUIET : quiet;
  }
}

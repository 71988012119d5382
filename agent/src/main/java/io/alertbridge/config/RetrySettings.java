package io.alertbridge.config;

import java.time.Duration;

/**
 * Backoff for transient SMTP failures (4xx replies, I/O errors). After {@code maxAttempts} the
 * record is not skipped: delivery pauses for {@code maxBackoff} and starts another round.
 */
public record RetrySettings(
    Integer maxAttempts, Duration initialBackoff, Double multiplier, Duration maxBackoff) {
  public static final RetrySettings DEFAULTS = new RetrySettings(null, null, null, null);

  public RetrySettings {
    maxAttempts = maxAttempts == null ? 5 : maxAttempts;
    initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
    multiplier = multiplier == null ? 2.0 : multiplier;
    maxBackoff = maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff;
  }
}

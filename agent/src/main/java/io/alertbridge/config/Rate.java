package io.alertbridge.config;

import java.time.Duration;
import java.util.Optional;

/** At most {@code permits} messages per {@code window}, written {@code 30/1m} or {@code 20/2s}. */
public record Rate(int permits, Duration window) {
  public static final String RULE =
      "must be a rate such as 30/1m or 20/2s: a positive count, a slash, and a duration";

  public static Optional<Rate> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.trim().split("/", 2);
    if (parts.length != 2 || !parts[0].trim().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    int permits = Integer.parseInt(parts[0].trim());
    return Durations.parse(parts[1])
        .filter(d -> permits > 0 && !d.isZero() && !d.isNegative())
        .map(d -> new Rate(permits, d));
  }

  @Override
  public String toString() {
    return permits + "/" + Durations.format(window);
  }
}

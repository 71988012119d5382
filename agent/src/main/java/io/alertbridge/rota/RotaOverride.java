package io.alertbridge.rota;

import java.time.Instant;

/**
 * A dated exception to a rota (a swap, leave): while {@code [from, to)}, wherever {@code replace}
 * would be on watch, {@code with} is instead.
 */
public record RotaOverride(Instant from, Instant to, String replace, String with) {
  public RotaOverride {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("override ends at " + to + ", not after " + from);
    }
  }

  boolean activeAt(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}

package io.alertbridge.smtp.pool;

import io.alertbridge.smtp.MailSubmitter;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One server for the pool: its client and how much it may take.
 *
 * @param ratePermits with {@code rateWindow}: at most this many messages per window; empty for
 *     unlimited
 */
public record PoolMember(
    String name,
    int priority,
    int connections,
    int maxRecipientsPerMessage,
    MailSubmitter client,
    Optional<Integer> ratePermits,
    Optional<Duration> rateWindow) {
  public PoolMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(client, "client");
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, found " + connections);
    }
    if (maxRecipientsPerMessage < 1) {
      throw new IllegalArgumentException(
          "maxRecipientsPerMessage must be at least 1, found " + maxRecipientsPerMessage);
    }
    if (ratePermits.isPresent() != rateWindow.isPresent()) {
      throw new IllegalArgumentException("a rate needs both a count and a window");
    }
  }
}

package io.alertbridge.config;

import java.time.Duration;

/**
 * Flow control and limits between Kafka and SMTP. A partition is paused when {@code
 * maxQueuedPerPartition} of its records, or {@code maxQueuedBytesPerPartition} of their bytes, wait
 * for delivery, and resumed when both are down to half: records of 1 MiB each must not fill the
 * heap before the count says stop. A record whose delivery fails {@code maxUnexpectedFailures}
 * times with an error that is no delivery outcome (a bug, not a server's reply) is dead-lettered
 * instead of retried forever. An event older than {@code maxEventAge} when the direct path reads it
 * is audited {@code suppressed} (stale) and not mailed; zero, the default, mails every event.
 */
public record DeliverySettings(
    Integer maxQueuedPerPartition,
    Duration shutdownTimeout,
    Integer maxUnexpectedFailures,
    DataSize maxMessageSize,
    DataSize maxQueuedBytesPerPartition,
    Duration maxEventAge) {
  public static final DeliverySettings DEFAULTS =
      new DeliverySettings(null, null, null, null, null, null);

  public DeliverySettings {
    maxQueuedPerPartition = maxQueuedPerPartition == null ? 1000 : maxQueuedPerPartition;
    shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
    maxUnexpectedFailures = maxUnexpectedFailures == null ? 3 : maxUnexpectedFailures;
    maxMessageSize = maxMessageSize == null ? DataSize.ofMebibytes(1) : maxMessageSize;
    maxQueuedBytesPerPartition =
        maxQueuedBytesPerPartition == null ? DataSize.ofMebibytes(16) : maxQueuedBytesPerPartition;
    maxEventAge = maxEventAge == null ? Duration.ZERO : maxEventAge;
  }
}

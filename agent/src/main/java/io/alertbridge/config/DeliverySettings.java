package io.alertbridge.config;

import java.time.Duration;

/**
 * Flow control between Kafka and SMTP. A partition is paused when this many of its records wait for
 * delivery, and resumed when half of them are done.
 */
public record DeliverySettings(Integer maxQueuedPerPartition, Duration shutdownTimeout) {
  public static final DeliverySettings DEFAULTS = new DeliverySettings(null, null);

  public DeliverySettings {
    maxQueuedPerPartition = maxQueuedPerPartition == null ? 1000 : maxQueuedPerPartition;
    shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
  }
}

package io.alertbridge.daemon;

import io.alertbridge.config.DeliverySettings;
import io.alertbridge.policy.PolicyStage;
import java.time.Duration;

/**
 * The longest a stop takes, one step after the other: in-flight mail settles ({@code
 * delivery.shutdown-timeout}), the consumer commits and closes, the policy stage commits and
 * closes, workers drain, connections and files close. The shutdown hook waits this long (plus a
 * margin) before it halts, and the shipped grace periods (90 s) are longer than its default.
 */
final class ShutdownBudget {
  /** How long close() waits for worker threads after the consumer has settled its lanes. */
  static final Duration WORKER_DRAIN = Duration.ofSeconds(5);

  /** After the lanes settled: the final commit and the consumer's close (10 s of it). */
  static final Duration CONSUMER_CLOSE = Duration.ofSeconds(15);

  /** Closing SMTP connections (QUIT), the dead-letter producer and the audit log's fsync. */
  static final Duration RELEASE = Duration.ofSeconds(5);

  private ShutdownBudget() {}

  static Duration of(DeliverySettings delivery) {
    return delivery
        .shutdownTimeout()
        .plus(CONSUMER_CLOSE)
        .plus(PolicyStage.CLOSE_TIMEOUT)
        .plus(WORKER_DRAIN)
        .plus(RELEASE);
  }
}

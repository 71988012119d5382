package io.alertbridge.policy;

import java.time.Duration;

/**
 * What the policy stage tells the metrics besides its audit lines. Implementations must not throw:
 * they run on the stream thread, inside the policy's transaction.
 */
public interface PolicyObserver {
  PolicyObserver NONE = new PolicyObserver() {};

  /**
   * An event's time was more than {@code policy.max-clock-skew} ahead of this clock; it was taken
   * as read now. Per source, so an operator can find the producer with the wrong clock.
   */
  default void clockSkewed(String source, Duration skew) {}

  /** A due timer failed and was dropped, so one bad state value cannot stop every other timer. */
  default void timerFailed(String kind) {}
}

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

  /** A state value could not be read (another schema, a bug) and was dropped. */
  default void stateDropped(String store) {}

  /**
   * Something did not fit its bound and was cut or counted instead: {@code event} (a snapshot cut
   * to its size), {@code digest} (an alert counted, not listed), {@code groups} (a digest's groups
   * beyond what it names).
   */
  default void didNotFit(String what) {}

  /** An event reached the grouping step on this instance: the policy's work, per instance. */
  default void eventGrouped() {}

  /** An alert of {@code route} was found flapping (ISA-18.2's "bad actors"). */
  default void alertFlapping(String route) {}

  /** Escalation step {@code step} (1-based) of an incident of {@code route} was mailed. */
  default void escalated(String route, int step) {}

  /** An incident of {@code route} was acknowledged by {@code channel}, this long after its mail. */
  default void acknowledged(String route, String channel, Duration sinceFirstMail) {}
}

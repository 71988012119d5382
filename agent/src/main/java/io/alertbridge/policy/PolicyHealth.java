package io.alertbridge.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the policy stage is doing, as metrics and {@code /readyz} tell it: its Kafka Streams state
 * and since when, how many stream threads were replaced, and its input lag. A wedged, restarting or
 * lagging stage leaves the notification topic empty, so nothing downstream can see it (review M5).
 */
public final class PolicyHealth implements PolicyStage.Listener {
  /** Before Kafka Streams exists: the stage is creating its topics or waiting for the broker. */
  public static final String NOT_STARTED = "not_started";

  /** Every state the metric reports, so each series exists from start with 0 or 1. */
  public static final List<String> STATES =
      List.of(
          NOT_STARTED,
          "created",
          "rebalancing",
          "running",
          "pending_shutdown",
          "not_running",
          "pending_error",
          "error");

  /**
   * Rebalancing longer than this is not a rebalance but a stage that cannot settle (a member that
   * keeps failing, a state restore that never ends): not ready.
   */
  static final Duration REBALANCE_PATIENCE = Duration.ofMinutes(2);

  private final Clock clock;
  private final Supplier<Map<String, Long>> lag;
  private final AtomicLong replacements = new AtomicLong();
  private volatile State state;

  private record State(String name, Instant since) {}

  /**
   * @param lag records behind, per input topic, as last sampled; empty before the first sample
   */
  public PolicyHealth(Clock clock, Supplier<Map<String, Long>> lag) {
    this.clock = clock;
    this.lag = lag;
    this.state = new State(NOT_STARTED, clock.instant());
  }

  @Override
  public void stateChanged(KafkaStreams.State now) {
    state = new State(now.name().toLowerCase(Locale.ROOT), clock.instant());
  }

  @Override
  public void threadReplaced(Throwable cause) {
    replacements.incrementAndGet();
  }

  /** One of {@link #STATES}. */
  public String state() {
    return state.name();
  }

  public long threadReplacements() {
    return replacements.get();
  }

  public Map<String, Long> lag() {
    return lag.get();
  }

  /** Why the stage keeps the daemon from being ready, if it does. */
  public Optional<String> notReady() {
    State s = state;
    Duration since = Duration.between(s.since(), clock.instant());
    boolean working =
        s.name().equals("running")
            || (s.name().equals("rebalancing") && since.compareTo(REBALANCE_PATIENCE) <= 0);
    if (working) {
      return Optional.empty();
    }
    long behind = lag.get().values().stream().mapToLong(Long::longValue).sum();
    return Optional.of(
        "the policy stage is "
            + s.name().toUpperCase(Locale.ROOT)
            + " since "
            + Math.max(0, since.toSeconds())
            + " s"
            + (behind > 0 ? String.format(Locale.ROOT, ", lag %,d records", behind) : ""));
  }
}

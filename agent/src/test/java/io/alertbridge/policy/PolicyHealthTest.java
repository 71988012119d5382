package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class PolicyHealthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final AtomicReference<Map<String, Long>> lag =
      new AtomicReference<>(Map.of("alerts", 0L));
  private final PolicyHealth health = new PolicyHealth(clock, lag::get);

  @Test
  void beforeKafkaStreamsRunsTheStageSaysSoAndSinceWhen() {
    clock.advance(Duration.ofSeconds(7));
    assertThat(health.state()).isEqualTo("not_started");
    assertThat(health.notReady()).hasValue("the policy stage is NOT_STARTED since 7 s");
  }

  @Test
  void runningIsReadyAndABriefRebalanceToo() {
    health.stateChanged(KafkaStreams.State.RUNNING);
    assertThat(health.notReady()).isEmpty();
    health.stateChanged(KafkaStreams.State.REBALANCING);
    clock.advance(PolicyHealth.REBALANCE_PATIENCE);
    assertThat(health.state()).isEqualTo("rebalancing");
    assertThat(health.notReady()).isEmpty();
  }

  @Test
  void aRebalanceWithoutEndIsNotReadyWithItsAgeAndTheLag() {
    health.stateChanged(KafkaStreams.State.REBALANCING);
    lag.set(Map.of("alerts", 11_000L, "g.state-events", 1_000L));
    clock.advance(PolicyHealth.REBALANCE_PATIENCE.plusSeconds(1));
    assertThat(health.notReady())
        .hasValue("the policy stage is REBALANCING since 121 s, lag 12,000 records");
  }

  @Test
  void aDeadStageIsNotReady() {
    health.stateChanged(KafkaStreams.State.ERROR);
    clock.advance(Duration.ofSeconds(40));
    assertThat(health.state()).isEqualTo("error");
    assertThat(health.notReady()).hasValue("the policy stage is ERROR since 40 s");
  }

  @Test
  void replacedThreadsAreCounted() {
    health.threadReplaced(new IllegalStateException("boom"));
    health.threadReplaced(new IllegalStateException("boom"));
    assertThat(health.threadReplacements()).isEqualTo(2);
  }

  @Test
  void everyKafkaStreamsStateIsOneTheMetricReports() {
    for (KafkaStreams.State s : KafkaStreams.State.values()) {
      health.stateChanged(s);
      assertThat(PolicyHealth.STATES).contains(health.state());
    }
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which deaths of a stream thread the crash guard counts against the record it was on. */
class PolicyStageDeathsTest {
  @Test
  void aBugOnARecordCountsAgainstIt() {
    assertThat(PolicyStage.recordsFault(new StreamsException(new ArithmeticException("overflow"))))
        .isTrue();
    assertThat(PolicyStage.recordsFault(new StackOverflowError())).isTrue();
  }

  @Test
  void kafkasOwnFailuresAndTheJvmRunningOutOfMemoryDoNot() {
    assertThat(PolicyStage.recordsFault(new StreamsException(new TimeoutException("away"))))
        .isFalse();
    assertThat(PolicyStage.recordsFault(new StreamsException(new OutOfMemoryError("heap"))))
        .as("out of memory strikes the same record again on replay without being its fault")
        .isFalse();
  }
}

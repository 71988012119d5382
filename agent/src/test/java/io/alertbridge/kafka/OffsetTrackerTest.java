package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void nothingSeenMeansNothingToCommit() {
    assertThat(tracker.committable()).isEqualTo(OptionalLong.empty());
  }

  @Test
  void commitsOnlyBelowTheLowestRecordStillInFlight() {
    tracker.started(10);
    tracker.started(11);
    tracker.started(12);
    tracker.done(11);
    tracker.done(12);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.empty());
    tracker.done(10);
    assertThat(tracker.committable()).hasValue(13);
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void commitsUpToTheFirstGapOnceEarlierRecordsAreDone() {
    tracker.started(0);
    tracker.started(1);
    tracker.started(2);
    tracker.done(0);
    tracker.done(2);
    assertThat(tracker.committable()).hasValue(1);
  }

  @Test
  void aRecordNeverDoneHoldsTheOffsetForever() {
    tracker.started(5);
    tracker.started(6);
    tracker.done(6);
    assertThat(tracker.committable()).isEqualTo(OptionalLong.empty());
    assertThat(tracker.inFlight()).isEqualTo(1);
  }
}

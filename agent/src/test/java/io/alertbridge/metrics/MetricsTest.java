package io.alertbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alertbridge.delivery.InboundRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void anEventAgeIsSecondsSinceItsTime() {
    assertThat(Metrics.ageSeconds(NOW.minusMillis(1500), NOW)).isEqualTo(1.5);
  }

  @Test
  void anEventFromAClockAheadHasNoAge() {
    assertThat(Metrics.ageSeconds(NOW.plusSeconds(60), NOW)).isZero();
  }

  @Test
  void theEarliestTimeAMillisecondClockHoldsDoesNotOverflowTheLatency() {
    Instant earliest = Instant.ofEpochMilli(Long.MIN_VALUE);
    // Epoch milliseconds would overflow here: now minus Long.MIN_VALUE is past Long.MAX_VALUE.
    assertThat(Metrics.ageSeconds(earliest, NOW))
        .isCloseTo((NOW.toEpochMilli() / 1e3) - (Long.MIN_VALUE / 1e3), within(1e6));
    Metrics metrics = new Metrics("test");
    metrics.accepted(
        new InboundRecord("alerts", 0, 1, null, new byte[0], List.of(), 0L), earliest, NOW);
    var observed =
        metrics.deliveryLatency.collect().getDataPoints().stream()
            .filter(d -> "event".equals(d.getLabels().get("from")))
            .findFirst()
            .orElseThrow();
    assertThat(observed.getCount()).isEqualTo(1);
    assertThat(observed.getSum()).isGreaterThan(9e15);
  }
}

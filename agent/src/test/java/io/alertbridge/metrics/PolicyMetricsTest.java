package io.alertbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PolicyMetricsTest {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PolicyMetrics metrics = new PolicyMetrics(registry);

  private Map<String, Double> skewedBySource() {
    CounterSnapshot s =
        (CounterSnapshot)
            registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("alertbridge_policy_skewed_events"))
                .findFirst()
                .orElseThrow();
    return s.getDataPoints().stream()
        .collect(
            Collectors.toMap(
                d -> d.getLabels().get("source"),
                CounterSnapshot.CounterDataPointSnapshot::getValue));
  }

  @Test
  void skewedEventsAreCountedPerSourceUpToALimitThenAsOther() {
    for (int i = 0; i < PolicyMetrics.MAX_SOURCES + 5; i++) {
      metrics.clockSkewed("plc-" + i, Duration.ofHours(1));
    }
    metrics.clockSkewed("plc-0", Duration.ofHours(1));
    Map<String, Double> counts = skewedBySource();
    assertThat(counts).hasSize(PolicyMetrics.MAX_SOURCES + 1);
    assertThat(counts.get("plc-0")).isEqualTo(2.0);
    assertThat(counts.get(PolicyMetrics.OTHER)).isEqualTo(5.0);
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiringAlertsTest {
  private static final Instant START = Instant.parse("2026-12-01T20:00:00Z");

  private static AlertSnapshot reading(String sensor, String status) {
    return new AlertSnapshot(
        "e-" + sensor,
        START.toEpochMilli(),
        "plc",
        "overtemp",
        "critical",
        status,
        "Overtemp at " + sensor,
        null,
        Map.of("sensor", sensor),
        Map.of());
  }

  private static byte[] entry(String sensor, String status) {
    return PolicyJson.write(AlertEntry.first(reading(sensor, status), List.of(), 0));
  }

  @Test
  void keepsTheFiringAlertsAndSkipsResolvedTimedOutAndUnreadableOnes() {
    Map<String, byte[]> values = new HashMap<>();
    values.put("engine:T3|fp3", entry("T3", "firing"));
    values.put("engine:T4|fp4", entry("T4", "resolved"));
    values.put(
        "engine:T5|fp5",
        PolicyJson.write(AlertEntry.first(reading("T5", "firing"), List.of(), 0).withTimedOut()));
    values.put("engine:T6|fp6", "{\"v\":99}".getBytes(StandardCharsets.UTF_8));
    values.put("no-bar", entry("T7", "firing"));

    List<FiringAlerts.Firing> firing = FiringAlerts.decode("t", values);

    assertThat(firing).hasSize(1);
    FiringAlerts.Firing f = firing.get(0);
    assertThat(f.groupKey()).isEqualTo("engine:T3");
    assertThat(f.fingerprint()).isEqualTo("fp3");
    assertThat(f.latest().labels()).containsEntry("sensor", "T3");
    assertThat(f.since()).isEqualTo(START);
    assertThat(f.state()).isEqualTo("firing");
  }

  @Test
  void theChangelogIsNamedAsKafkaStreamsNamesIt() {
    assertThat(FiringAlerts.changelogTopic("alertbridge.state"))
        .isEqualTo("alertbridge.state-alerts-changelog");
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.InhibitRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchedAlertsTest {
  private static final List<InhibitRule> RULES =
      List.of(
          InhibitRule.parse(
              List.of("type=\"plc-comms-lost\""),
              List.of("labels.room=engine"),
              List.of("labels.site")));

  private static byte[] source(String fp, String site) {
    return ("{\"v\":1,\"fingerprint\":\""
            + fp
            + "\",\"source\":\"scada\",\"type\":\"plc-comms-lost\","
            + "\"severity\":\"critical\",\"labels\":{\"site\":\""
            + site
            + "\",\"room\":\"engine\"},"
            + "\"since\":0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static AlertFields target(String site) {
    return AlertFields.of("plc-3", "overtemp", "critical", Map.of("room", "engine", "site", site));
  }

  @Test
  void aFiringSourceInhibitsTargetsOfItsSiteUntilItStops() {
    WatchedAlerts w = new WatchedAlerts();
    assertThat(w.inhibitor(target("ship-1"), "t1", RULES)).isEmpty();
    w.apply("g|s1", source("s1", "ship-1"));
    assertThat(w.inhibitor(target("ship-1"), "t1", RULES)).contains("s1");
    assertThat(w.inhibitor(target("ship-2"), "t2", RULES)).isEmpty();
    w.apply("g|s1", null);
    assertThat(w.inhibitor(target("ship-1"), "t1", RULES)).isEmpty();
  }

  @Test
  void anAlertNeverInhibitsItselfButAnotherSourceOfTheSameSiteDoes() {
    WatchedAlerts w = new WatchedAlerts();
    w.apply("g|s1", source("s1", "ship-1"));
    AlertFields itself =
        AlertFields.of(
            "scada", "plc-comms-lost", "critical", Map.of("room", "engine", "site", "ship-1"));
    assertThat(w.inhibitor(itself, "s1", RULES)).isEmpty();
    w.apply("h|s2", source("s2", "ship-1"));
    assertThat(w.inhibitor(itself, "s1", RULES)).contains("s2");
  }

  @Test
  void newRulesSeeSourcesThatFiredBefore() {
    WatchedAlerts w = new WatchedAlerts();
    w.apply("g|s1", source("s1", "ship-1"));
    assertThat(w.inhibitor(target("ship-1"), "t1", RULES)).contains("s1");
    List<InhibitRule> reloaded =
        List.of(InhibitRule.parse(List.of("source=scada"), List.of("type=overtemp"), List.of()));
    assertThat(w.inhibitor(target("ship-9"), "t1", reloaded)).contains("s1");
  }

  @Test
  void unreadableRecordsAreSkippedAndTheViewIsBounded() {
    WatchedAlerts w = new WatchedAlerts();
    w.apply("bad", "not json".getBytes(StandardCharsets.UTF_8));
    assertThat(w.size()).isZero();
    for (int i = 0; i <= WatchedAlerts.MAX_WATCHED; i++) {
      w.apply("g|" + i, source("s" + i, "ship-" + i));
    }
    assertThat(w.size()).isEqualTo(WatchedAlerts.MAX_WATCHED);
    assertThat(w.dropped()).isEqualTo(1);
  }
}

package io.alertbridge.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.Severity;
import io.alertbridge.event.Status;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
  @TempDir Path dir;

  private Router router(String routes) throws Exception {
    String yaml =
        ConfigFixtures.VALID.replaceFirst(
            "(?s)routes:.*?templates:", "routes:\n" + routes + "templates:");
    AlertbridgeConfig c = new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
    return Router.of(c);
  }

  private static AlertEvent event(Severity severity, String source, Map<String, String> labels) {
    return new AlertEvent(
        "e1",
        Instant.EPOCH,
        source,
        "overtemp",
        severity,
        Status.FIRING,
        "s",
        "d",
        labels,
        Map.of());
  }

  private static List<String> names(List<Route> routes) {
    return routes.stream().map(Route::name).toList();
  }

  @Test
  void firstMatchWinsAndListsExpandToTheirAddresses() throws Exception {
    Router r =
        router(
            """
          - {name: engine-critical, match: {severity: critical, labels: {room: engine}}, to: [list:engine-oncall, ops@plant.example], template: overtemp}
          - {name: default, to: [ops@plant.example], template: plain}
        """);
    List<Route> matched = r.route(event(Severity.CRITICAL, "plc-3", Map.of("room", "engine")));
    assertThat(names(matched)).containsExactly("engine-critical");
    assertThat(matched.get(0).recipients(Instant.EPOCH))
        .extracting(InternetAddress::getAddress)
        .containsExactly(
            "chief.engineer@plant.example", "duty.engineer@plant.example", "ops@plant.example");
  }

  @Test
  void fallsThroughToALaterRouteWhenLabelsDiffer() throws Exception {
    Router r =
        router(
            """
          - {name: engine-critical, match: {severity: critical, labels: {room: engine}}, to: [ops@plant.example], template: overtemp}
          - {name: default, to: [ops@plant.example], template: plain}
        """);
    assertThat(names(r.route(event(Severity.CRITICAL, "plc-3", Map.of("room", "bridge")))))
        .containsExactly("default");
    assertThat(names(r.route(event(Severity.CRITICAL, "plc-3", Map.of()))))
        .containsExactly("default");
  }

  @Test
  void continueLetsLaterRoutesMatchToo() throws Exception {
    Router r =
        router(
            """
          - {name: audit-copy, to: [ops@plant.example], template: plain, continue: true}
          - {name: warnings, match: {severity: [warning, critical]}, to: [ops@plant.example], template: plain}
          - {name: default, to: [ops@plant.example], template: plain}
        """);
    assertThat(names(r.route(event(Severity.WARNING, "x", Map.of()))))
        .containsExactly("audit-copy", "warnings");
    assertThat(names(r.route(event(Severity.INFO, "x", Map.of()))))
        .containsExactly("audit-copy", "default");
  }

  @Test
  void regularExpressionsMustMatchTheWholeValue() throws Exception {
    Router r =
        router(
            """
          - {name: engine, match: {source: "~engine-room/.*", labels: {sensor: "~T[0-9]+"}}, to: [ops@plant.example], template: plain}
        """);
    assertThat(r.route(event(Severity.INFO, "engine-room/plc-3", Map.of("sensor", "T3"))))
        .hasSize(1);
    assertThat(r.route(event(Severity.INFO, "x/engine-room/plc-3", Map.of("sensor", "T3"))))
        .isEmpty();
    assertThat(r.route(event(Severity.INFO, "engine-room/plc-3", Map.of("sensor", "T3b"))))
        .isEmpty();
  }

  @Test
  void noMatchGivesNoRoute() throws Exception {
    Router r =
        router(
            """
          - {name: critical-only, match: {severity: critical}, to: [ops@plant.example], template: plain}
        """);
    assertThat(r.route(event(Severity.INFO, "x", Map.of()))).isEmpty();
  }
}

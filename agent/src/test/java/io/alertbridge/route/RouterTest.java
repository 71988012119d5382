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

  private static final String WATCHES =
      """
        engine-watch:
          rota:
            timezone: Europe/Berlin
            shifts:
              - {start: "00:00", members: [third.officer@plant.example]}
              - {start: "04:00", members: [chief.officer@plant.example]}
              - {start: "08:00", members: [second.officer@plant.example]}
              - {start: "12:00", members: [third.officer@plant.example]}
              - {start: "16:00", members: [chief.officer@plant.example]}
              - {start: "20:00", members: [second.officer@plant.example]}
      """;

  private Router router(String routes) throws Exception {
    String yaml =
        ConfigFixtures.VALID
            .replaceFirst("(?s)routes:.*?templates:", "routes:\n" + routes + "templates:")
            .replace("lists:\n", "lists:\n" + WATCHES);
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

  @Test
  void aRouteToARotaMailsWhoeverIsOnWatchWhenTheMailIsSent() throws Exception {
    Router r =
        router(
            """
          - {name: engine-critical, to: [list:engine-watch, ops@plant.example], template: overtemp}
        """);
    Route route = r.routes().get(0);

    assertThat(route.recipients(Instant.parse("2026-06-01T03:00:00Z")))
        .extracting(InternetAddress::getAddress)
        .containsExactly("chief.officer@plant.example", "ops@plant.example");
    assertThat(route.recipients(Instant.parse("2026-06-01T07:00:00Z")))
        .extracting(InternetAddress::getAddress)
        .containsExactly("second.officer@plant.example", "ops@plant.example");
    assertThat(route.everyone())
        .extracting(InternetAddress::getAddress)
        .containsExactly(
            "third.officer@plant.example",
            "chief.officer@plant.example",
            "second.officer@plant.example",
            "ops@plant.example");
  }

  @Test
  void anEscalationsRecipientsResolveAtTheirOwnInstant() throws Exception {
    Recipients lists =
        router(
                """
          - {name: default, to: [ops@plant.example], template: plain}
        """)
            .recipients();

    List<String> to =
        List.of("superintendent@plant.example", "list:engine-watch", "list:engine-oncall");

    assertThat(lists.resolve(to, Instant.parse("2026-06-01T11:00:00Z")))
        .extracting(InternetAddress::getAddress)
        .containsExactly(
            "superintendent@plant.example",
            "third.officer@plant.example",
            "chief.engineer@plant.example",
            "duty.engineer@plant.example");
    assertThat(lists.varies(to)).isTrue();
    assertThat(lists.varies(List.of("list:engine-oncall"))).isFalse();
  }
}

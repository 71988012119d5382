package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Alerts migrated from a release before issue 16 ({@link ImportedAlert}) enter the new stores. */
class PolicyImportTest extends PolicyTestBase {
  private TestInputTopic<String, byte[]> events;

  private void startWithEvents() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    events =
        driver.createInputTopic(
            "alertbridge.state-events", new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Sensor t1's alert on the default route, as the old stage left it: mailed as firing, or with a
   * reading {@code pending} that no mail announced yet.
   */
  private ImportedAlert imported(String route, Pending pending) {
    AlertSnapshot latest =
        new AlertSnapshot(
            "old-1",
            START.toEpochMilli(),
            "engine-room/plc-3",
            "overtemp",
            "critical",
            "firing",
            "Overtemp at t1",
            null,
            Map.of("room", "hold", "site", "ship-1", "sensor", "t1"),
            Map.of());
    String group = Fingerprints.groupKey(route, List.of(), latest);
    AlertEntry a =
        new AlertEntry(
            AlertEntry.VERSION,
            latest,
            pending == null ? "firing" : null,
            pending,
            List.of("old-1"),
            START.toEpochMilli(),
            START.toEpochMilli(),
            false,
            false,
            null,
            0);
    return new ImportedAlert(
        ImportedAlert.VERSION,
        route,
        group,
        Map.of(),
        START.toEpochMilli(),
        1,
        "<old-root@plant.example>",
        START.toEpochMilli(),
        Fingerprints.of(latest),
        a);
  }

  private void pipe(ImportedAlert a) {
    var r = StageRecords.imported("alertbridge.state-events", a);
    events.pipeInput(new TestRecord<>(a.group(), r.value(), r.headers(), START));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode hold(String id, String status) {
    var e = event(id, "t1", status);
    e.putObject("labels").put("room", "hold").put("site", "ship-1").put("sensor", "t1");
    return e;
  }

  @Test
  void anImportedIncidentIsKeptOnceAndItsResolutionRepliesToItsOldThread() throws Exception {
    startWithEvents();
    pipe(imported("default", null));
    pipe(imported("default", null)); // a repeated import (a stop mid-upgrade) changes nothing
    send(hold("r1", "firing"));
    assertThat(mails()).as("known as firing: a repeat").isEmpty();
    assertThat(suppressed("repeat")).extracting(r -> r.eventId()).containsExactly("r1");
    send(hold("r2", "resolved"));
    assertThat(mails()).as("group-interval after the old release's last mail").isEmpty();
    advance(Duration.ofMinutes(5));
    assertThat(mails())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.alerts())
                  .extracting(Notification.Alert::state)
                  .containsExactly("resolved");
              assertThat(n.inReplyTo()).isEqualTo("<old-root@plant.example>");
              assertThat(n.eventIds()).containsExactly("r2");
            });
  }

  @Test
  void aPendingEventOfAnImportedAlertIsMailedAndOneOfARemovedRouteAudited() throws Exception {
    startWithEvents();
    pipe(imported("default", new Pending("old-1", "alerts", 0, 7)));
    ImportedAlert gone = imported("gone", new Pending("old-9", "alerts", 0, 9));
    pipe(gone);
    advance(Duration.ofMinutes(6));
    assertThat(suppressed("route-removed"))
        .singleElement()
        .satisfies(r -> assertThat(r.eventId()).isEqualTo("old-9"));
    // Its pending event is carried by the group's next mail: the old thread goes on.
    assertThat(mails())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.eventIds()).containsExactly("old-1");
              assertThat(n.inReplyTo()).isEqualTo("<old-root@plant.example>");
            });
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ManualClock;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor's timers on state it finds when its task starts, with Kafka's {@link
 * MockProcessorContext}: stores filled by the test before {@code init}, ticks called directly.
 */
class PolicyProcessorTimersTest {
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final List<String> failedTimers = new ArrayList<>();
  private final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
  private KeyValueStore<String, byte[]> groups;
  private PolicyProcessor processor;

  private static RoutePolicy route(Duration alertTimeout) {
    return new RoutePolicy(
        "default",
        "default",
        List.of("ops@plant.example"),
        "plain",
        List.of(),
        Duration.ZERO,
        Duration.ofMinutes(5),
        Duration.ofHours(4),
        true,
        List.of(),
        alertTimeout,
        false);
  }

  @BeforeEach
  void stores() {
    for (String name :
        List.of(
            PolicyTopology.GROUPS_STORE,
            PolicyTopology.RECIPIENTS_STORE,
            PolicyTopology.BACKLOGS_STORE,
            PolicyTopology.CLOSED_STORE)) {
      KeyValueStore<String, byte[]> store =
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
              .withLoggingDisabled()
              .build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    groups = context.getStateStore(PolicyTopology.GROUPS_STORE);
  }

  private void init(RoutePolicy route) {
    PolicyObserver observer =
        new PolicyObserver() {
          @Override
          public void timerFailed(String kind) {
            failedTimers.add(kind);
          }
        };
    PolicyTopology.Wiring w =
        new PolicyTopology.Wiring(
            null,
            null,
            Map.of(route.name(), route),
            clock,
            List.of("alerts"),
            "alerts.dlq",
            "alertbridge.state",
            Duration.ofHours(1),
            Duration.ofHours(24),
            null,
            "plant.example",
            Duration.ofMinutes(5),
            observer,
            null);
    processor = new PolicyProcessor(w);
    processor.init(context);
  }

  /** A group as an earlier run left it: one firing alert, its event pending, due at START. */
  private static GroupState group(String route, String sensor, String eventId) {
    GroupState g = new GroupState();
    g.route = route;
    g.key = route + ":" + sensor;
    g.incident = START.toEpochMilli();
    g.due = START.toEpochMilli();
    GroupState.AlertState a = new GroupState.AlertState();
    a.latest =
        new AlertSnapshot(
            eventId,
            START.toEpochMilli(),
            "plc",
            "overtemp",
            "critical",
            "firing",
            "Overtemp at " + sensor,
            null,
            Map.of("sensor", sensor),
            Map.of());
    a.firstSeen = a.latest.time();
    a.pending = new GroupState.Pending(eventId, "alerts", 0, 7);
    g.alerts.put(sensor, a);
    return g;
  }

  @Test
  void eventsPendingInAGroupOfARemovedRouteAreAudited() {
    GroupState g = group("removed", "t1", "e1");
    groups.put(g.key, PolicyJson.write(g));
    init(route(null));
    processor.tick(START.toEpochMilli());
    assertThat(audit())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AuditStatus.SUPPRESSED);
              assertThat(r.reason()).isEqualTo("route-removed");
              assertThat(r.eventId()).isEqualTo("e1");
              assertThat(r.offset()).isEqualTo(7);
              assertThat(r.messageId()).isNull();
            });
    assertThat(groups.get(g.key)).isNull();
  }

  @Test
  void aTimerThatFailsIsDroppedAndTheOthersStillFire() {
    GroupState bad = group("default", "t1", "e1");
    GroupState good = group("default", "t2", "e2");
    groups.put(bad.key, PolicyJson.write(bad));
    groups.put(good.key, PolicyJson.write(good));
    init(route(null));
    groups.put(bad.key, "{not json".getBytes(StandardCharsets.UTF_8));

    processor.tick(START.toEpochMilli());
    assertThat(mails()).hasSize(1);
    assertThat(failedTimers).containsExactly("g");
    assertThat(processor.failedTimers).isEqualTo(1);

    processor.tick(START.plusSeconds(1).toEpochMilli());
    assertThat(failedTimers).as("dropped, not retried every tick").hasSize(1);
  }

  @Test
  void anUnreadableValueAtTaskStartCostsItsOwnTimerOnly() {
    GroupState good = group("default", "t2", "e2");
    groups.put("default:t1", "{not json".getBytes(StandardCharsets.UTF_8));
    groups.put(good.key, PolicyJson.write(good));
    init(route(null));
    processor.tick(START.toEpochMilli());
    assertThat(mails()).hasSize(1);
  }

  @Test
  void alertsStoredBeforeAlertTimeoutWasSetTimeOutUnlessReadAgain() {
    GroupState g = group("default", "t1", "e1");
    g.alerts.get("t1").notified = "firing";
    g.alerts.get("t1").pending = null;
    g.due = 0;
    g.lastSent = START.minus(Duration.ofHours(1)).toEpochMilli();
    g.seq = 1;
    groups.put(g.key, PolicyJson.write(g));
    init(route(Duration.ofMinutes(5)));

    clock.advance(Duration.ofMinutes(5));
    processor.tick(clock.millis());
    assertThat(mails())
        .singleElement()
        .satisfies(
            f -> {
              Notification n = PolicyJson.readState(f.record().value(), Notification.class);
              assertThat(n.alerts())
                  .extracting(Notification.Alert::state)
                  .containsExactly("timed-out");
            });
    assertThat(groups.get(g.key)).as("it left the state").isNull();
  }

  /** The mails the processor forwarded (its audit lines travel as records too, marked). */
  private List<MockProcessorContext.CapturedForward<? extends String, ? extends byte[]>> mails() {
    return context.forwarded().stream()
        .filter(f -> f.record().headers().lastHeader(StageRecords.KIND_HEADER) == null)
        .toList();
  }

  /** The audit lines the processor forwarded, as the delivery stage reads them. */
  private List<AuditRecord> audit() {
    return context.forwarded().stream()
        .filter(f -> f.record().headers().lastHeader(StageRecords.KIND_HEADER) != null)
        .map(f -> AuditRecord.fromJson(new String(f.record().value(), StandardCharsets.UTF_8)))
        .toList();
  }
}

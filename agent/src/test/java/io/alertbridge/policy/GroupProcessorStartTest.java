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
 * The grouping step on state it finds when its task starts, with Kafka's {@link
 * MockProcessorContext}: stores filled by the test before {@code init}, ticks called directly.
 */
class GroupProcessorStartTest {
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  private final ManualClock clock = new ManualClock(START);
  private final List<String> dropped = new ArrayList<>();
  private final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
  private KeyValueStore<String, byte[]> heads;
  private KeyValueStore<String, byte[]> alerts;
  private GroupProcessor processor;

  private static RoutePolicy route(List<String> groupBy) {
    return new RoutePolicy(
        "default",
        t -> List.of("ops@plant.example"),
        "plain",
        groupBy,
        Duration.ZERO,
        Duration.ofMinutes(5),
        Duration.ofHours(4),
        true,
        List.of(),
        null,
        false,
        null);
  }

  @BeforeEach
  void stores() {
    for (String name : PolicyTopology.GROUP_STORES) {
      KeyValueStore<String, byte[]> store =
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
              .withLoggingDisabled()
              .build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    heads = context.getStateStore(PolicyTopology.HEADS_STORE);
    alerts = context.getStateStore(PolicyTopology.ALERTS_STORE);
  }

  private void init(RoutePolicy route) {
    PolicyObserver observer =
        new PolicyObserver() {
          @Override
          public void stateDropped(String store) {
            dropped.add(store);
          }
        };
    PolicyTopology.Wiring w =
        new PolicyTopology.Wiring(
            null,
            LiveRules.fixed(null, Map.of(route.name(), route)),
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
            PolicyOperators.none(),
            null);
    processor = new GroupProcessor(w);
    processor.init(context);
  }

  /** A group as an earlier run left it: one firing alert, its event pending, due at START. */
  private void group(String route, List<String> groupBy, String sensor, String eventId) {
    AlertSnapshot latest =
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
    AlertEntry a =
        AlertEntry.first(latest, List.of(), START.toEpochMilli())
            .withPending(new Pending(eventId, "alerts", 0, 7));
    String key = route + ":" + sensor;
    GroupHead g =
        new GroupHead(
            GroupHead.VERSION,
            key,
            route,
            groupBy,
            Map.of(),
            START.toEpochMilli(),
            0,
            0,
            START.toEpochMilli(),
            0,
            1,
            1,
            1,
            null);
    heads.put(key, PolicyJson.write(g));
    alerts.put(key + "|" + sensor, PolicyJson.write(a));
  }

  @Test
  void aGroupOfARemovedRouteIsClosedWithAnAuditLinePerAlertAndNoMail() {
    group("removed", List.of(), "t1", "e1");
    init(route(List.of()));
    processor.tick(START.toEpochMilli());
    assertThat(mails()).isEmpty();
    assertThat(audit())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AuditStatus.SUPPRESSED);
              assertThat(r.reason()).isEqualTo("route-removed");
              assertThat(r.eventId()).isEqualTo("e1");
              assertThat(r.offset()).isEqualTo(7);
            });
    assertThat(heads.get("removed:t1")).isNull();
    assertThat(alerts.get("removed:t1|t1")).isNull();
  }

  @Test
  void aGroupWhoseGroupByChangedIsClosedAsRegroupedNeverRemindedAndItsAlertsMove()
      throws Exception {
    group("default", List.of(), "t1", "e1");
    init(route(List.of("labels.site")));
    processor.tick(START.toEpochMilli());
    clock.advance(Duration.ofHours(5));
    processor.tick(clock.millis());
    assertThat(mails()).as("no reminder of a group that no longer exists").isEmpty();
    assertThat(audit()).extracting(AuditRecord::reason).containsExactly("regrouped");
    assertThat(heads.get("default:t1")).isNull();
    // The alert itself moves to its new group, with what its recipients were told.
    assertThat(context.forwarded())
        .filteredOn(f -> StageRecords.isImport(f.record().headers()))
        .singleElement()
        .satisfies(
            f -> {
              ImportedAlert moved = PolicyJson.read(f.record().value(), ImportedAlert.class);
              assertThat(f.record().key()).isEqualTo(moved.group()).isNotEqualTo("default:t1");
              assertThat(moved.alert().latest().id()).isEqualTo("e1");
              assertThat(moved.alert().pending()).as("audited regrouped above").isNull();
            });
  }

  @Test
  void anUnreadableValueIsDroppedAndCountedAndTheOtherGroupsStillMail() {
    group("default", List.of(), "t2", "e2");
    heads.put("default:t1", "{not json".getBytes(StandardCharsets.UTF_8));
    heads.put(
        "default:t3",
        "{\"v\":99,\"key\":\"default:t3\",\"route\":\"default\"}".getBytes(StandardCharsets.UTF_8));
    init(route(List.of()));
    processor.tick(START.toEpochMilli());
    assertThat(mails()).hasSize(1);
    assertThat(dropped).containsExactly("heads", "heads");
    assertThat(heads.get("default:t1")).as("dropped, not read again at every start").isNull();
    assertThat(heads.get("default:t3")).as("another schema version is refused").isNull();
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
        .filter(f -> StageRecords.AUDIT.equals(StageRecords.kind(f.record().headers())))
        .map(f -> AuditRecord.fromJson(new String(f.record().value(), StandardCharsets.UTF_8)))
        .toList();
  }
}

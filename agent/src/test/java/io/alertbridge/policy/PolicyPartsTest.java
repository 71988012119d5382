package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.ManualClock;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy's parts on their own, without a topology. */
class PolicyPartsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final long T = NOW.toEpochMilli();

  private final List<AuditRecord> audit = new ArrayList<>();
  private final List<String> skewed = new ArrayList<>();

  private static RoutePolicy route(boolean sendResolved) {
    return new RoutePolicy(
        "r",
        t -> List.of("ops@plant.example"),
        "plain",
        List.of(),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofHours(4),
        sendResolved,
        List.of(),
        null,
        false,
        null);
  }

  private PolicyTopology.Wiring wiring() {
    return new PolicyTopology.Wiring(
        null,
        LiveRules.fixed(null, Map.of()),
        new ManualClock(NOW),
        List.of("alerts"),
        "dlq",
        "state",
        Duration.ofHours(1),
        Duration.ofHours(24),
        null,
        "plant.example",
        Duration.ofMinutes(5),
        new PolicyObserver() {
          @Override
          public void clockSkewed(String source, Duration skew) {
            skewed.add(source + ":" + skew.toMinutes());
          }
        },
        PolicyOperators.none(),
        null);
  }

  private static AlertSnapshot reading(String id, long time, String status) {
    return new AlertSnapshot(
        id, time, "plc-3", "overtemp", "critical", status, "hot", null, Map.of(), Map.of());
  }

  @Test
  void timersComeDueOldestFirstAndMoveWhenRescheduled() {
    TimerIndex timers = new TimerIndex();
    long a = timers.reschedule("g", "a", 0, 300);
    timers.reschedule("g", "b", 0, 100);
    timers.reschedule("g", "a", a, 50);
    timers.reschedule("r", "c", 0, 1000);
    assertThat(timers.dueAt(300)).extracting(TimerIndex.Timer::key).containsExactly("a", "b");
    timers.reschedule("g", "b", 100, 0);
    assertThat(timers.dueAt(300)).extracting(TimerIndex.Timer::key).containsExactly("a");
    assertThat(timers.size()).isEqualTo(2);
  }

  @Test
  void aBacklogSummaryIsDueAfterQuietButWithin30sOfTheFirstStaleEvent() {
    Backlog b = Backlog.empty("r").counted(T, T);
    assertThat(BacklogSummaries.dueAfter(b, route(true), T)).isEqualTo(T + 5_000);
    assertThat(BacklogSummaries.dueAfter(b, route(true), T + 28_000)).isEqualTo(T + 30_000);
    // After a summary, the next waits for group-interval, however quiet it is.
    b = b.sent(T + 30_000).counted(T, T + 31_000);
    assertThat(BacklogSummaries.dueAfter(b, route(true), T + 31_000))
        .isEqualTo(T + 30_000 + Duration.ofMinutes(5).toMillis());
  }

  @Test
  void anEventFromAClockAheadIsTakenAsReadNowAndAudited() {
    ClockSkew skew = new ClockSkew(wiring(), audit::add);
    RoutedEvent ahead =
        new RoutedEvent(
            reading("e", T + Duration.ofHours(2).toMillis(), "firing"),
            List.of("r"),
            "alerts",
            0,
            9);
    RoutedEvent trusted = skew.trusted(ahead, T, T + 1_000);
    assertThat(trusted.event().time()).isEqualTo(T);
    assertThat(trusted.event().id()).isEqualTo("e");
    assertThat(trusted.offset()).isEqualTo(9);
    assertThat(audit)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AuditStatus.SKEWED);
              assertThat(r.reason()).startsWith("event time 2026-11-30T12:00:00Z is 7200 s ahead");
            });
    assertThat(skewed).containsExactly("plc-3:120");

    RoutedEvent close =
        new RoutedEvent(reading("f", T + 60_000, "firing"), List.of("r"), "alerts", 0, 10);
    assertThat(skew.trusted(close, T, T)).isSameAs(close);
  }

  @Test
  void aSkewedEventInABacklogIsTakenAsReadWhenItsRecordWasWrittenNotWhenTheBacklogIsWorkedOff() {
    ClockSkew skew = new ClockSkew(wiring(), audit::add);
    long written = T - Duration.ofMinutes(30).toMillis();
    RoutedEvent ahead =
        new RoutedEvent(
            reading("e", T + Duration.ofDays(1).toMillis(), "firing"),
            List.of("r"),
            "alerts",
            0,
            9);
    // Its resolution, produced ten minutes after it and read in the same backlog, stays newer.
    assertThat(skew.trusted(ahead, T, written).event().time())
        .isEqualTo(written)
        .isLessThan(written + Duration.ofMinutes(10).toMillis());
    assertThat(audit)
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).endsWith("taken as read at 2026-11-30T09:30:00Z"));
  }

  @Test
  void aGroupHeadCountsItsAlertsAsTheyChangeWithoutReadingThem() {
    GroupHead g = GroupHead.open(route(true), "r:k", reading("a", T, "firing"), T);
    AlertEntry a = AlertEntry.first(reading("a", T, "firing"), List.of(), T);
    g = g.counted(null, a);
    assertThat(List.of(g.size(), g.changed(), g.firing())).containsExactly(1, 1, 1);
    AlertEntry told = a.told();
    g = g.counted(a, told);
    assertThat(g.hasChanges()).isFalse();
    assertThat(g.hasFiring()).isTrue();
    AlertEntry resolved = told.read(reading("b", T + 1, "resolved"), T + 1);
    g = g.counted(told, resolved);
    assertThat(List.of(g.size(), g.changed(), g.firing())).containsExactly(1, 1, 0);
    g = g.counted(resolved, null);
    assertThat(g.size()).isZero();
  }

  @Test
  void anAlertRemembersItsLastSixteenEventIdsOnly() {
    AlertEntry a = AlertEntry.first(reading("e0", T, "firing"), List.of(), T);
    for (int i = 1; i < 40; i++) {
      a = a.read(reading("e" + i, T + i, "firing"), T + i);
    }
    assertThat(a.recent()).hasSize(AlertEntry.REMEMBERED).startsWith("e24").endsWith("e39");
  }

  @Test
  void aStateValueOfAVersionBeforeIsReadAsTheCurrentOne() throws Exception {
    ClosedEntry old =
        PolicyJson.read(
            "{\"v\":1,\"time\":1,\"recent\":[],\"until\":2}".getBytes(), ClosedEntry.class);
    assertThat(old.v()).isEqualTo(ClosedEntry.VERSION);
    assertThat(old.flips()).isEmpty();
  }

  @Test
  void aStateValueOfAnotherSchemaVersionIsRefused() {
    assertThatThrownBy(
            () ->
                PolicyJson.read(
                    "{\"v\":3,\"time\":1,\"recent\":[],\"until\":2}".getBytes(), ClosedEntry.class))
        .hasMessageContaining("closed alert version 3");
  }

  @Test
  void aSnapshotLargerThanItsBoundIsCutButKeepsItsIdentity() {
    AlertSnapshot big =
        new AlertSnapshot(
            "e",
            T,
            "plc-3",
            "overtemp",
            "critical",
            "firing",
            "s",
            "x".repeat(50_000),
            java.util.Map.of("sensor", "t1"),
            java.util.Map.of("v", "y".repeat(50_000)));
    AlertSnapshot cut = big.bounded(GroupPolicy.MAX_SNAPSHOT_BYTES);
    assertThat(PolicyJson.write(cut).length).isLessThanOrEqualTo(GroupPolicy.MAX_SNAPSHOT_BYTES);
    assertThat(Fingerprints.of(cut)).isEqualTo(Fingerprints.of(big));
    assertThat(cut.description()).isEqualTo(AlertSnapshot.CUT);
    AlertSnapshot huge =
        new AlertSnapshot(
            "e",
            T,
            "plc-3",
            "overtemp",
            "critical",
            "firing",
            "s",
            null,
            java.util.Map.of("sensor", "z".repeat(20_000)),
            null);
    assertThat(huge.bounded(GroupPolicy.MAX_SNAPSHOT_BYTES)).as("identity too large").isNull();
  }
}

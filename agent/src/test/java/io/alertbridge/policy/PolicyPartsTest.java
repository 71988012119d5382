package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
        "r",
        List.of("ops@plant.example"),
        "plain",
        List.of(),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofHours(4),
        sendResolved,
        List.of(),
        null,
        false);
  }

  private PolicyTopology.Wiring wiring() {
    return new PolicyTopology.Wiring(
        null,
        null,
        Map.of(),
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
    BacklogState b = new BacklogState();
    b.pendingSince = T;
    assertThat(BacklogSummaries.dueAfter(b, route(true), T)).isEqualTo(T + 5_000);
    assertThat(BacklogSummaries.dueAfter(b, route(true), T + 28_000)).isEqualTo(T + 30_000);
    // After a summary, the next waits for group-interval, however quiet it is.
    b.lastSent = T + 30_000;
    b.pendingSince = T + 31_000;
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
  void aGroupListsNewFiringAndResolvedAlertsAndDropsResolutionsItDoesNotMail() {
    GroupState g = GroupState.open(route(true), "r:k", reading("a", T, "firing"), T);
    GroupState.AlertState fresh = new GroupState.AlertState();
    fresh.latest = reading("a", T, "firing");
    fresh.pending = new GroupState.Pending("a", "alerts", 0, 1);
    GroupState.AlertState told = new GroupState.AlertState();
    told.latest = reading("b", T, "firing");
    told.notified = "firing";
    GroupState.AlertState gone = new GroupState.AlertState();
    gone.latest = reading("c", T, "resolved");
    gone.notified = "firing";
    gone.pending = new GroupState.Pending("c", "alerts", 0, 3);
    g.alerts.put("fa", fresh);
    g.alerts.put("fb", told);
    g.alerts.put("fc", gone);

    GroupListing all = GroupListing.of(g, route(true), 2, (fp, a) -> {});
    assertThat(all.alerts()).extracting(Notification.Alert::state).containsExactly("new", "firing");
    assertThat(all.total()).isEqualTo(3);
    assertThat(all.carried()).extracting(GroupState.Pending::eventId).containsExactly("a");
    assertThat(all.unlisted()).extracting(GroupState.Pending::eventId).containsExactly("c");

    List<String> dropped = new ArrayList<>();
    GroupListing quiet = GroupListing.of(g, route(false), 10, (fp, a) -> dropped.add(fp));
    assertThat(dropped).containsExactly("fc");
    assertThat(quiet.total()).isEqualTo(2);
    assertThat(g.alerts).containsOnlyKeys("fa", "fb");
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the policy does with times it cannot trust, and with time passing (issue 15). */
class PolicyTimeTest extends PolicyTestBase {
  private static final String MUTED_MONDAY_MORNING =
      "group-wait: 0s\n    mute: [{weekdays: [monday], times: \"09:00-11:00\", timezone: UTC}]\n";

  private static ObjectNode hold(String id, String sensor, String status) {
    ObjectNode e = event(id, sensor, status);
    e.putObject("labels").put("room", "hold").put("sensor", sensor);
    return e;
  }

  @Test
  void aReadingDatedADayAheadDoesNotHoldBackTheAlertsResolution() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    ObjectNode ahead = event("ahead", "t1", "firing");
    ahead.put("time", START.plus(Duration.ofDays(1)).toString());
    send(ahead.toString());
    advance(Duration.ofSeconds(31));
    assertThat(mails()).singleElement().satisfies(n -> assertThat(n.eventIds()).contains("ahead"));
    assertThat(audit())
        .filteredOn(r -> r.status() == AuditStatus.SKEWED)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.eventId()).isEqualTo("ahead");
              assertThat(r.reason())
                  .isEqualTo(
                      "event time 2026-12-01T10:00:00Z is 86400 s ahead of this clock;"
                          + " taken as read at 2026-11-30T10:00:00Z");
            });
    assertThat(skewedSources).containsExactly("engine-room/plc-3:86400");

    advance(Duration.ofMinutes(6));
    send(event("res", "t1", "resolved"));
    advance(Duration.ofSeconds(1));
    assertThat(mails())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.eventIds()).containsExactly("res");
              assertThat(n.alerts().get(0).state()).isEqualTo("resolved");
            });
    assertThat(suppressed("superseded")).isEmpty();
    advance(Duration.ofHours(5));
    assertThat(mails()).as("no reminders for a resolved alert").isEmpty();
  }

  @Test
  void aReadingWithinTheAllowedSkewKeepsItsOwnTime() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    ObjectNode ahead = event("soon", "t1", "firing");
    ahead.put("time", START.plus(Duration.ofMinutes(4)).toString());
    send(ahead.toString());
    advance(Duration.ofSeconds(31));
    assertThat(mails().get(0).alerts().get(0).event().time())
        .isEqualTo(START.plus(Duration.ofMinutes(4)).toEpochMilli());
    assertThat(audit()).noneMatch(r -> r.status() == AuditStatus.SKEWED);
    assertThat(skewedSources).isEmpty();
  }

  @Test
  void aSteadyTrickleOfStaleEventsIsSummarisedWithin30sThenEveryGroupInterval() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    List<Long> summaries = new ArrayList<>();
    long counted = 0;
    // A producer 2 h behind, one event every 4 s for 10 min.
    for (int i = 0; i < 150; i++) {
      ObjectNode e = event("old" + i, "t" + (i % 3), "firing");
      e.put("time", clock.instant().minus(Duration.ofHours(2)).toString());
      send(e.toString());
      advance(Duration.ofSeconds(4));
      for (Notification n : mails()) {
        assertThat(n.kind()).isEqualTo(Notification.BACKLOG);
        summaries.add(clock.millis() - START.toEpochMilli());
        counted += n.total();
      }
    }
    assertThat(summaries).as("summaries while the trickle goes on").hasSize(2);
    assertThat(summaries.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(34).toMillis());
    assertThat(summaries.get(1) - summaries.get(0))
        .isBetween(
            Duration.ofMinutes(5).toMillis(), Duration.ofMinutes(5).plusSeconds(4).toMillis());
    // The rest wait for group-interval after the last summary, then go out: nothing is lost.
    advance(Duration.ofMinutes(1));
    for (Notification n : mails()) {
      counted += n.total();
    }
    assertThat(counted).as("every stale event counted in a summary").isEqualTo(150);
  }

  @Test
  void aBacklogSummaryOfAMutedRouteWaitsForTheMuteToEnd() throws Exception {
    // START is Monday 10:00 UTC.
    start(ROUTES.replace("group-wait: 0s\n", MUTED_MONDAY_MORNING), DEFAULT_POLICY);
    ObjectNode e = hold("old", "t1", "firing");
    e.put("time", START.minus(Duration.ofDays(2)).toString());
    send(e.toString());
    advance(Duration.ofMinutes(59));
    assertThat(mails()).isEmpty();
    advance(Duration.ofMinutes(2));
    assertThat(mails())
        .singleElement()
        .satisfies(n -> assertThat(n.kind()).isEqualTo(Notification.BACKLOG));
  }

  @Test
  void aDigestWhoseEveryRouteIsMutedWaitsForTheMuteToEnd() throws Exception {
    // Folded at 10:00, window ends at 10:05, inside a mute from 10:01 to 11:00.
    start(
        ROUTES.replace(
            "group-wait: 0s\n",
            "group-wait: 0s\n    mute: [{times: \"10:01-11:00\", timezone: UTC}]\n"),
        DEFAULT_POLICY + "  max-mails-per-recipient: 1/5m\n");
    send(hold("x1", "x1", "firing"));
    send(hold("x2", "x2", "firing"));
    assertThat(mails()).hasSize(1);
    advance(Duration.ofMinutes(30));
    assertThat(mails()).as("no digest during the mute").isEmpty();
    advance(Duration.ofMinutes(31));
    assertThat(mails())
        .singleElement()
        .satisfies(n -> assertThat(n.kind()).isEqualTo(Notification.DIGEST));
  }

  private static final String TIMEOUT = "repeat-interval: 4h\n    alert-timeout: 5m\n";

  @Test
  void anAlertWithoutReadingsIsReportedOnceAsTimedOutAndLeaves() throws Exception {
    start(ROUTES.replace("repeat-interval: 4h\n", TIMEOUT), DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    send(event("b", "t2", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    // t2 keeps reading, t1 falls silent.
    for (int i = 0; i < 6; i++) {
      advance(Duration.ofMinutes(1));
      send(event("b" + i, "t2", "firing"));
    }
    List<Notification> report = mails();
    assertThat(report)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.inReplyTo()).isEqualTo(first.messageId());
              assertThat(n.alerts())
                  .extracting(a -> a.event().labels().get("sensor") + ":" + a.state())
                  .containsExactlyInAnyOrder("t1:timed-out", "t2:firing");
            });
    advance(Duration.ofMinutes(6));
    List<Notification> later = mails();
    assertThat(later)
        .as("t2 too fell silent: reported once, then nothing, not even reminders")
        .singleElement()
        .satisfies(
            n ->
                assertThat(n.alerts())
                    .extracting(Notification.Alert::state)
                    .containsExactly("timed-out"));
    advance(Duration.ofHours(5));
    assertThat(mails()).isEmpty();
    send(event("c", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    assertThat(mails()).singleElement().satisfies(n -> assertThat(n.inReplyTo()).isNull());
  }

  @Test
  void aRouteThatResolvesOnTimeoutMailsTheAlertAsResolved() throws Exception {
    start(
        ROUTES.replace("repeat-interval: 4h\n", TIMEOUT + "    on-alert-timeout: resolve\n"),
        DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    advance(Duration.ofMinutes(6));
    assertThat(mails())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.inReplyTo()).isEqualTo(first.messageId());
              assertThat(n.alerts())
                  .extracting(Notification.Alert::state)
                  .containsExactly("resolved");
            });
    advance(Duration.ofHours(5));
    assertThat(mails()).as("the alert left with its resolution: no reminders").isEmpty();
  }
}

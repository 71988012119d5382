package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The state a release before issue 16 wrote (JSON of GroupState, RecipientState and BacklogState at
 * 0808a4a, by field): its open groups' alerts are migrated, what was pending elsewhere becomes one
 * {@code upgraded} audit line per alert it drops (issue 16).
 */
class LegacyStateTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  /** GroupState: one alert with an event not mailed yet, one mailed, as the old stage wrote it. */
  private static final String GROUP =
      """
      {"key":"disk|host=db1","route":"disk","labels":{"host":"db1"},"incident":1764583200000,
       "seq":1,"threadRoot":"<g1@plant.example>","lastSent":1764583200000,"due":1764583500000,
       "expires":0,"alerts":{
        "fp-a":{"latest":{"id":"e2","time":1764583300000,"source":"s","type":"disk",
          "severity":"critical","status":"firing","summary":"full","labels":{"host":"db1"},
          "values":{"used":97.5}},"notified":"firing",
          "pending":{"eventId":"e2","topic":"alerts","partition":3,"offset":41},
          "recent":["e1","e2"],"firstSeen":1764583200000,"refreshed":1764583300000,
          "timedOut":false},
        "fp-b":{"latest":{"id":"e3","time":1764583100000,"status":"resolved","severity":"info",
          "labels":{},"values":{}},"notified":"resolved","recent":["e3"],"firstSeen":0,
          "refreshed":0,"timedOut":false}}}
      """;

  /** RecipientState with a digest pending: the group's alerts as Notification.Alert. */
  private static final String RECIPIENT =
      """
      {"address":"ops@plant.example","windowStart":1764583200000,"mails":10,"digests":2,
       "folded":{"disk|host=db2":{"route":"disk","labels":{"host":"db2"},"alerts":{
         "fp-c":{"fingerprint":"fp-c","state":"firing","event":{"id":"e7","time":1764583300000,
           "status":"firing","severity":"warning","labels":{},"values":{}},
           "firstSeen":1764583300000,"route":"disk","groupLabels":{"host":"db2"}}},
         "unlisted":0}},
       "due":1764586800000}
      """;

  /** BacklogState with a summary pending. */
  private static final String BACKLOG =
      """
      {"route":"disk","summaries":1,"count":5,"from":1764500000000,"to":1764510000000,
       "alerts":{"fp-d":{"id":"e9","time":1764510000000,"status":"firing","severity":"info",
         "labels":{},"values":{}}},
       "unlisted":0,"due":1764583600000,"pendingSince":1764583000000,"lastSent":0}
      """;

  @Test
  void eachAlertOfAnOpenGroupIsMigratedWithWhatItsRecipientsWereToldAndItsThread() {
    LegacyTally dropped = new LegacyTally(NOW);

    dropped.add("groups", "disk|host=db1", bytes(GROUP));

    assertThat(dropped.lines()).isEmpty();
    assertThat(dropped.imports())
        .extracting(ImportedAlert::fingerprint)
        .containsExactly("fp-a", "fp-b");
    ImportedAlert a = dropped.imports().get(0);
    assertThat(a.route()).isEqualTo("disk");
    assertThat(a.group()).isEqualTo("disk|host=db1");
    assertThat(a.threadRoot()).isEqualTo("<g1@plant.example>");
    assertThat(a.seq()).isEqualTo(1);
    assertThat(a.alert().notified()).isEqualTo("firing");
    assertThat(a.alert().pending()).isEqualTo(new Pending("e2", "alerts", 3, 41));
    assertThat(a.alert().recent()).containsExactly("e1", "e2");
    assertThat(a.alert().latest().values().get("used")).hasToString("97.5");
    ImportedAlert b = dropped.imports().get(1);
    assertThat(b.alert().state()).isEqualTo("resolved");
    assertThat(b.alert().refreshed())
        .as("unknown: counts from the upgrade")
        .isEqualTo(NOW.toEpochMilli());
  }

  @Test
  void anAlertThatCannotBeReadIsAuditedUpgradedUnderItsPendingEvent() {
    LegacyTally dropped = new LegacyTally(NOW);

    dropped.add(
        "groups",
        "disk|host=db9",
        bytes(
            "{\"key\":\"disk|host=db9\",\"route\":\"disk\",\"alerts\":{\"fp-x\":{\"latest\":7,"
                + "\"pending\":{\"eventId\":\"e5\",\"topic\":\"alerts\",\"partition\":1,"
                + "\"offset\":9}}}}"));

    assertThat(dropped.imports()).isEmpty();
    assertThat(dropped.lines())
        .containsExactly(suppressed("e5", "alerts", 1, 9, "disk", "disk|host=db9"));
  }

  @Test
  void aPendingDigestAndAPendingBacklogSummaryAreAuditedPerListedAlert() {
    LegacyTally dropped = new LegacyTally(NOW);

    dropped.add("recipients", "ops@plant.example", bytes(RECIPIENT));
    dropped.add("backlogs", "disk", bytes(BACKLOG));

    assertThat(dropped.lines())
        .containsExactly(
            suppressed("e7", null, -1, -1, "disk", "disk|host=db2"),
            suppressed("e9", null, -1, -1, "disk", null));
  }

  @Test
  void nothingPendingWritesNoLineAndTheSummaryCountsWhatWasDropped() {
    LegacyTally dropped = new LegacyTally(NOW);

    dropped.add("groups", "disk|host=db1", bytes(GROUP));
    dropped.add("recipients", "ops@plant.example", bytes(RECIPIENT));
    dropped.add(
        "recipients",
        "dev@plant.example",
        bytes("{\"address\":\"dev@plant.example\",\"folded\":{}}"));
    dropped.add("backlogs", "disk", bytes(BACKLOG));
    dropped.add("backlogs", "net", bytes("{\"route\":\"net\",\"count\":0,\"alerts\":{}}"));
    dropped.add("closed", "disk|host=db1|fp-z", bytes("{\"key\":\"k\",\"time\":1,\"recent\":[]}"));

    assertThat(dropped.lines()).hasSize(2);
    assertThat(dropped.imports()).hasSize(2);
    assertThat(dropped.summary())
        .isEqualTo(
            "upgraded from the previous state format: 1 groups (2 alerts) migrated, 0 unreadable"
                + " alerts, 1 pending digests and 1 pending backlog summaries dropped, each dropped"
                + " alert audited `upgraded`");
  }

  @Test
  void anUnreadableValueIsSkippedNotFatal() {
    LegacyTally dropped = new LegacyTally(NOW);

    dropped.add("groups", "broken", bytes("{\"key\":"));
    dropped.add("groups", "array", bytes("[1,2]"));
    dropped.add("groups", "disk|host=db1", bytes(GROUP));

    assertThat(dropped.imports()).hasSize(2);
    assertThat(dropped.lines()).isEmpty();
  }

  @Test
  void theLineIsTheSameRecordTheStageWritesToTheNotificationTopic() {
    LegacyTally dropped = new LegacyTally(NOW);
    dropped.add("recipients", "ops@plant.example", bytes(RECIPIENT));

    var record = StageRecords.audit("alertbridge.state-notifications", dropped.lines().get(0));

    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("disk|host=db2");
    assertThat(AuditRecord.fromJson(new String(record.value(), StandardCharsets.UTF_8)))
        .isEqualTo(suppressed("e7", null, -1, -1, "disk", "disk|host=db2"));
    assertThat(
            new String(
                record.headers().lastHeader(StageRecords.KIND_HEADER).value(),
                StandardCharsets.UTF_8))
        .isEqualTo(StageRecords.AUDIT);
  }

  private static AuditRecord suppressed(
      String eventId, String topic, int partition, long offset, String route, String group) {
    return new AuditRecord(
        NOW,
        AuditStatus.SUPPRESSED,
        eventId,
        List.of(eventId),
        topic,
        partition,
        offset,
        route,
        group,
        List.of(),
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        "upgraded");
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}

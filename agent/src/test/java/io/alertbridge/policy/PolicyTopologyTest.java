package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The policy's decisions, driven through the real topology by Kafka's own {@link
 * TopologyTestDriver} with a clock the test moves: what is mailed when, what is audited why.
 */
class PolicyTopologyTest extends PolicyTestBase {
  @Test
  void readingsOfOneAlertWithinTheGroupWaitBecomeOneMail() throws Exception {
    start(
        ROUTES.replace("to: [chief.engineer@plant.example]", "to: [list:engine-oncall]"),
        DEFAULT_POLICY);
    for (int i = 0; i < 5; i++) {
      send(event("r" + i, "t1", "firing"));
      advance(Duration.ofSeconds(5));
    }
    assertThat(mails()).as("nothing before group-wait").isEmpty();
    advance(Duration.ofSeconds(10));
    List<Notification> mails = mails();
    assertThat(mails)
        .as("one mail per recipient: the storm guard decides per recipient")
        .flatExtracting(Notification::recipients)
        .containsExactly("chief.engineer@plant.example", "duty.engineer@plant.example");
    Notification n = mails.get(0);
    assertThat(n.alerts()).hasSize(1);
    assertThat(n.alerts().get(0).state()).isEqualTo("new");
    assertThat(n.eventIds()).containsExactly("r4");
    assertThat(n.inReplyTo()).isNull();
    assertThat(mails.get(1).messageId()).isNotEqualTo(n.messageId());
    assertThat(suppressed("grouped"))
        .extracting(AuditRecord::eventId)
        .containsExactly("r0", "r1", "r2", "r3");
    assertThat(suppressed("grouped")).allMatch(r -> n.messageId().equals(r.messageId()));
  }

  @Test
  void siblingsOfOneGroupShareAMailAndAResolveRepliesInTheSameThread() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    send(event("b", "t2", "firing"));
    send(event("c", "t3", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    assertThat(first.alerts()).extracting(Notification.Alert::state).containsOnly("new");
    assertThat(first.eventIds()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(((Notification.GroupMail) first).groupLabels()).containsEntry("site", "ship-1");

    // Still firing, unchanged: repeats, not mails.
    for (int i = 0; i < 30; i++) {
      send(event("rep" + i, "t1", "firing"));
      advance(Duration.ofSeconds(1));
    }
    assertThat(mails()).isEmpty();
    assertThat(suppressed("repeat"))
        .hasSize(30)
        .allMatch(r -> first.messageId().equals(r.messageId()));

    // A resolve is a change; group-interval (5m from the first mail) holds it back.
    send(event("res1", "t1", "resolved"));
    advance(Duration.ofSeconds(30));
    assertThat(mails()).isEmpty();
    advance(Duration.ofMinutes(5));
    Notification resolved = mails().get(0);
    assertThat(resolved.inReplyTo()).isEqualTo(first.messageId());
    assertThat(resolved.messageId()).isNotEqualTo(first.messageId());
    assertThat(resolved.eventIds()).containsExactly("res1");
    assertThat(resolved.alerts())
        .extracting(a -> a.event().labels().get("sensor") + ":" + a.state())
        .containsExactlyInAnyOrder("t1:resolved", "t2:firing", "t3:firing");
  }

  @Test
  void aStillFiringGroupIsMailedAgainAfterTheRepeatInterval() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    advance(Duration.ofHours(4));
    List<Notification> again = mails();
    assertThat(again).hasSize(1);
    assertThat(again.get(0).alerts().get(0).state()).isEqualTo("firing");
    assertThat(again.get(0).inReplyTo()).isEqualTo(first.messageId());
    assertThat(again.get(0).eventIds()).isEmpty();
  }

  @Test
  void aNewIncidentAfterResolutionStartsANewThread() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    advance(Duration.ofMinutes(6));
    send(event("b", "t1", "resolved"));
    advance(Duration.ofSeconds(1));
    assertThat(mails())
        .singleElement()
        .satisfies(n -> assertThat(n.inReplyTo()).isEqualTo(first.messageId()));
    send(event("c", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    Notification next = mails().get(0);
    assertThat(next.inReplyTo()).isNull();
    assertThat(next.messageId()).isNotEqualTo(first.messageId());
  }

  @Test
  void anEventIdSeenAgainIsADuplicate() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    ObjectNode e = event("same", "t9", "firing");
    e.putObject("labels").put("room", "hold");
    send(e);
    send(e);
    assertThat(mails()).hasSize(1);
    assertThat(suppressed("duplicate")).extracting(AuditRecord::eventId).containsExactly("same");
  }

  @Test
  void aReplayOfAResolvedAlertsOldEventsStartsNoNewIncident() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    ObjectNode firing = event("f1", "t1", "firing");
    send(firing);
    advance(Duration.ofSeconds(31));
    assertThat(mails()).hasSize(1);
    advance(Duration.ofMinutes(6));
    send(event("r1", "t1", "resolved"));
    advance(Duration.ofSeconds(1));
    assertThat(mails())
        .singleElement()
        .satisfies(n -> assertThat(n.alerts().get(0).state()).isEqualTo("resolved"));

    // The topic is replayed: the firing event again (same id), and an older reading (new id).
    send(firing.toString());
    ObjectNode older = event("f0", "t1", "firing");
    older.put("time", START.minusSeconds(60).toString());
    send(older.toString());
    advance(Duration.ofMinutes(10));
    assertThat(mails()).isEmpty();
    assertThat(suppressed("duplicate")).extracting(AuditRecord::eventId).containsExactly("f1");
    assertThat(suppressed("superseded")).extracting(AuditRecord::eventId).containsExactly("f0");

    // After dedup-window the alert is forgotten; a genuinely new reading is a new incident.
    advance(Duration.ofHours(25));
    send(event("f2", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    assertThat(mails()).singleElement().satisfies(n -> assertThat(n.inReplyTo()).isNull());
  }

  @Test
  void groupByIdWithoutWaitMailsEveryEventAtOnce() throws Exception {
    start(
        ROUTES.replace(
            "group-by: [labels.site]\n    group-wait: 30s", "group-by: [id]\n    group-wait: 0s"),
        DEFAULT_POLICY);
    for (int i = 0; i < 3; i++) {
      send(event("e" + i, "t1", "firing"));
    }
    assertThat(mails()).extracting(n -> n.eventIds().get(0)).containsExactly("e0", "e1", "e2");
  }

  @Test
  void staleEventsBecomeOneBacklogSummaryPerRoute() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    for (int i = 0; i < 20; i++) {
      ObjectNode e = event("old" + i, "s" + (i % 4), i < 16 ? "firing" : "resolved");
      e.put("time", START.minus(Duration.ofDays(2)).plusSeconds(i).toString());
      send(e.toString());
    }
    assertThat(mails()).isEmpty();
    advance(BacklogSummaries.QUIET.plusSeconds(1));
    List<Notification> mails = mails();
    assertThat(mails)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(Notification.BACKLOG);
              assertThat(n.total()).isEqualTo(20);
              assertThat(((Notification.BacklogSummary) n).from())
                  .isEqualTo(START.minus(Duration.ofDays(2)).toEpochMilli());
              // s0..s3 resolved last: none still firing.
              assertThat(n.alerts()).isEmpty();
            });
    assertThat(suppressed("stale"))
        .hasSize(20)
        .allMatch(r -> mails.get(0).messageId().equals(r.messageId()));
  }

  @Test
  void beyondTheLimitPerRecipientAlertsAreFoldedIntoOneDigest() throws Exception {
    start(ROUTES, DEFAULT_POLICY + "  max-mails-per-recipient: 5/1m\n");
    for (int i = 0; i < 50; i++) {
      ObjectNode e = event("d" + i, "x" + i, "firing");
      e.putObject("labels").put("room", "hold").put("sensor", "x" + i);
      send(e);
    }
    List<Notification> first = mails();
    assertThat(first).hasSize(5).allMatch(n -> n.kind().equals(Notification.GROUP));
    advance(Duration.ofMinutes(1));
    List<Notification> digest = mails();
    assertThat(digest)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(Notification.DIGEST);
              assertThat(n.recipients()).containsExactly("ops@plant.example");
              assertThat(n.total()).isEqualTo(45);
              assertThat(((Notification.Digest) n).groups()).isEqualTo(45);
            });
    assertThat(suppressed("grouped"))
        .hasSize(45)
        .allMatch(r -> digest.get(0).messageId().equals(r.messageId()));
    // All 50 alerts are in a mail.
    List<String> mailed = new ArrayList<>();
    first.forEach(n -> n.alerts().forEach(a -> mailed.add(a.event().id())));
    digest.get(0).alerts().forEach(a -> mailed.add(a.event().id()));
    assertThat(mailed).hasSize(50).doesNotHaveDuplicates();
  }

  @Test
  void aMutedRouteMailsWhatStillFiresWhenTheMuteEnds() throws Exception {
    // START is Monday 10:00 UTC.
    start(
        ROUTES.replace(
            "group-wait: 0s\n",
            "group-wait: 0s\n    mute: [{weekdays: [monday], times: \"09:00-11:00\", timezone: UTC}]\n"),
        DEFAULT_POLICY);
    ObjectNode e = event("m1", "t1", "firing");
    e.putObject("labels").put("room", "hold");
    send(e);
    ObjectNode gone = event("m2", "t2", "firing");
    gone.putObject("labels").put("room", "deck");
    send(gone);
    gone.put("id", "m3").put("status", "resolved");
    send(gone);
    assertThat(mails()).isEmpty();
    assertThat(suppressed("muted")).extracting(AuditRecord::eventId).containsExactly("m1", "m2");
    // m2 fired and resolved while nobody could be told: not news when the mute ends (issue 15, M1).
    assertThat(suppressed("resolved")).extracting(AuditRecord::eventId).containsExactly("m3");
    advance(Duration.ofMinutes(61));
    List<Notification> after = mails();
    assertThat(after)
        .extracting(
            n ->
                n.alerts().stream()
                    .map(a -> a.event().id() + ":" + a.state())
                    .collect(Collectors.joining()))
        .containsExactly("m1:new");
  }

  @Test
  void anInvalidEventGoesToTheDeadLetterTopicWithItsReason() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    send("{\"id\": 1");
    var dead = deadLetters.readRecord();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": 1");
    assertThat(
            new String(
                dead.headers().lastHeader("alertbridge.error.status").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("invalid");
    assertThat(audit())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(AuditStatus.INVALID));
    assertThat(mails()).isEmpty();
  }

  @Test
  void theSameInputGivesTheSameMessageIds() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      clock.set(START);
      start(ROUTES, DEFAULT_POLICY);
      send(event("a", "t1", "firing"));
      advance(Duration.ofSeconds(31));
      ids.add(mails().get(0).messageId());
      driver.close();
      driver = null;
    }
    assertThat(ids.get(0))
        .isEqualTo(ids.get(1))
        .matches("<[0-9a-f]{32}\\.alertbridge@plant\\.example>");
  }
}

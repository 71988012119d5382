package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.TokenKey;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edges of acknowledgement that a review found (issue 18). */
class AcknowledgementEdgesTest extends PolicyTestBase {
  private static final String CHIEF = AcknowledgementTest.CHIEF;
  private static final TokenKey KEY =
      TokenKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "test");
  private final MailTokens tokens = new MailTokens(KEY);
  private final AckLinks links = new AckLinks(KEY);

  private static final String ROUTES =
      """
      routes:
        - name: engine
          match: {labels: {room: engine}}
          to: [chief.engineer@plant.example]
          template: overtemp
          group-by: [labels.site]
          group-wait: 30s
          group-interval: 5m
          repeat-interval: 1h
          escalate:
            - {after: 15m, to: [superintendent@plant.example]}
        - name: default
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;

  private Notification.GroupMail fired() throws Exception {
    acks = new PolicyOperators.Acks(tokens, links);
    start(ROUTES, DEFAULT_POLICY);
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    return (Notification.GroupMail) mails().get(0);
  }

  private static IncidentRef ref(Notification.GroupMail g) {
    return IncidentRef.of(g.partition(), g.group(), g.incident());
  }

  private void reply(String token, String command, Long ttl, String messageId) {
    responses.pipeInput(
        null,
        Response.toJson(
            new Response.Reply(
                token, CHIEF, command, ttl, messageId, clock.millis(), true, "none")));
  }

  private List<AuditRecord> lines(AuditStatus status) throws Exception {
    return audit().stream().filter(r -> r.status() == status).toList();
  }

  @Test
  void aReplyWithoutMessageIdAcknowledgesOnceAndIsConfirmed() throws Exception {
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(fired()), CHIEF);
    reply(token, "ack", null, null);
    reply(token, "ack", null, null);
    assertThat(lines(AuditStatus.ACKNOWLEDGED)).hasSize(1);
    assertThat(mails()).hasSize(1).allMatch(n -> n instanceof Notification.Acknowledgement);
    assertThat(lines(AuditStatus.DEAD_LETTERED)).isEmpty();
  }

  @Test
  void aTimedAckAfterAnOpenOneLapsesAndRemindersResume() throws Exception {
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(fired()), CHIEF);
    reply(token, "ack", null, "<r1@plant.example>");
    advance(Duration.ofMinutes(70));
    mails();
    reply(token, "ack", 7200L, "<r2@plant.example>");
    mails();
    advance(Duration.ofMinutes(119));
    assertThat(mails()).isEmpty();
    advance(Duration.ofMinutes(2));
    assertThat(mails())
        .filteredOn(n -> n instanceof Notification.GroupMail)
        .extracting(n -> n.recipients().get(0))
        .contains(CHIEF);
  }

  @Test
  void aLinkActsOnceHoweverItIsSpelledAndAgainAfterAWithdrawal() throws Exception {
    Notification.GroupMail first = fired();
    String link =
        links.issue(
            ref(first), CHIEF, AckLinks.Action.ACK, clock.instant().plus(Duration.ofDays(7)));
    responses.pipeInput(null, Response.toJson(new Response.Click(link, clock.millis())));
    // Base64 without padding: the last character's spare bits change the text, not the bytes.
    char last = link.charAt(link.length() - 1);
    char other =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(java.util.Base64.getUrlDecoder().decode(link))
            .charAt(link.length() - 1);
    String respelled = link.substring(0, link.length() - 1) + (char) (other ^ 1);
    if (links.verify(respelled, clock.instant()).ok()
        && last != respelled.charAt(link.length() - 1)) {
      responses.pipeInput(null, Response.toJson(new Response.Click(respelled, clock.millis())));
    }
    assertThat(lines(AuditStatus.ACKNOWLEDGED)).hasSize(1);

    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);
    reply(token, "unack", null, "<r3@plant.example>");
    responses.pipeInput(null, Response.toJson(new Response.Click(link, clock.millis())));
    assertThat(lines(AuditStatus.ACKNOWLEDGED)).hasSize(2);
  }

  @Test
  void anEscalationAloneDoesNotPushTheCrewsReminderBack() throws Exception {
    fired();
    advance(Duration.ofMinutes(16));
    assertThat(mails())
        .extracting(n -> n.recipients().get(0))
        .containsExactly(AcknowledgementTest.SUPER);
    advance(Duration.ofMinutes(45));
    assertThat(mails())
        .as("the reminder an hour after the first mail, not after the escalation")
        .extracting(n -> n.recipients().get(0))
        .containsExactly(CHIEF);
  }
}

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

/** Acknowledgement, escalation and bounce fallback through the real topology (issue 18). */
class AcknowledgementTest extends PolicyTestBase {
  static final String CHIEF = "chief.engineer@plant.example";
  static final String SUPER = "superintendent@plant.example";
  static final String BRIDGE = "bridge@plant.example";

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
          on-bounce: [bridge@plant.example]
        - name: default
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;

  private void startWith(String routes) throws Exception {
    acks = new PolicyOperators.Acks(tokens, links);
    start(routes, DEFAULT_POLICY);
  }

  /** Fires one alert and returns its first mail, to the chief engineer. */
  private Notification.GroupMail fired() throws Exception {
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    List<Notification> sent = mails();
    assertThat(sent).hasSize(1);
    return (Notification.GroupMail) sent.get(0);
  }

  private static IncidentRef ref(Notification.GroupMail g) {
    return IncidentRef.of(g.partition(), g.group(), g.incident());
  }

  private void reply(String token, String from, String command, String messageId, boolean dmarc) {
    respond(
        new Response.Reply(
            token,
            from,
            command,
            null,
            messageId,
            clock.millis(),
            dmarc,
            dmarc ? "dmarc=pass" : "dmarc=fail"));
  }

  private void respond(Response r) {
    responses.pipeInput(null, Response.toJson(r));
  }

  private List<AuditRecord> lines(AuditStatus status) throws Exception {
    return audit().stream().filter(r -> r.status() == status).toList();
  }

  @Test
  void aReplyAcknowledgesStopsEscalationAndRemindersAndIsConfirmedInTheThread() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    assertThat(first.partition()).isZero();
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);

    reply(token, CHIEF, "ack", "<r1@plant.example>", true);

    List<AuditRecord> acked = lines(AuditStatus.ACKNOWLEDGED);
    assertThat(acked).hasSize(1);
    assertThat(acked.get(0).ack().by()).isEqualTo(CHIEF);
    assertThat(acked.get(0).ack().channel()).isEqualTo("reply");
    assertThat(acked.get(0).ack().replyMessageId()).isEqualTo("<r1@plant.example>");
    assertThat(acked.get(0).group()).isEqualTo(first.group());
    List<Notification> confirmations = mails();
    assertThat(confirmations).hasSize(1);
    Notification.Acknowledgement c = (Notification.Acknowledgement) confirmations.get(0);
    assertThat(c.to()).isEqualTo(CHIEF);
    assertThat(c.by()).isEqualTo(CHIEF);
    assertThat(c.inReplyTo()).isEqualTo(first.messageId());

    advance(Duration.ofHours(3));
    assertThat(mails()).as("no escalation, no reminder while acknowledged").isEmpty();

    send(event("e2", "T4", "firing"));
    advance(Duration.ofMinutes(6));
    List<Notification> news = mails();
    assertThat(news).as("a new alert joining the group is still mailed").hasSize(1);
    assertThat(news.get(0).recipients()).containsExactly(CHIEF);
  }

  @Test
  void nobodyAnsweringEscalatesOnceInTheThreadSayingWhoWasToldBefore() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    advance(Duration.ofMinutes(14));
    assertThat(mails()).isEmpty();

    advance(Duration.ofMinutes(2));
    List<Notification> escalated = mails();
    assertThat(escalated).hasSize(1);
    Notification.GroupMail step = (Notification.GroupMail) escalated.get(0);
    assertThat(step.to()).isEqualTo(SUPER);
    assertThat(step.note().kind()).isEqualTo("escalated");
    assertThat(step.note().step()).isEqualTo(1);
    assertThat(step.note().before())
        .extracting(Notification.FollowupNote.Told::to)
        .containsExactly(CHIEF);
    assertThat(step.incident()).isEqualTo(first.incident());
    assertThat(step.alerts()).extracting(a -> a.event().id()).containsExactly("e1");

    advance(Duration.ofMinutes(30));
    assertThat(mails()).as("each step once").isEmpty();

    // The superintendent was told, so the superintendent's reply acknowledges, and both hear it.
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(step), SUPER);
    reply(token, SUPER, "ack", "<r2@plant.example>", true);
    assertThat(mails())
        .extracting(n -> n.recipients().get(0))
        .containsExactlyInAnyOrder(CHIEF, SUPER);
  }

  @Test
  void aTokenForSomeoneElseOrAFailedDmarcCheckIsRefusedAndChangesNothing() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String chiefs = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);

    reply(chiefs, "third.officer@plant.example", "ack", "<r1@plant.example>", true);
    reply(chiefs, CHIEF, "ack", "<r2@plant.example>", false);

    List<AuditRecord> refused = lines(AuditStatus.ACK_REFUSED);
    assertThat(refused)
        .extracting(AuditRecord::reason)
        .containsExactly(
            "token for someone else: issued to chief.engineer@plant.example, reply from"
                + " third.officer@plant.example",
            "DMARC: dmarc=fail");
    assertThat(lines(AuditStatus.ACKNOWLEDGED)).isEmpty();
    advance(Duration.ofMinutes(16));
    assertThat(mails()).as("it still escalates").hasSize(1);
  }

  @Test
  void theSameReplyReadTwiceTakesEffectOnce() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);
    reply(token, CHIEF, "ack", "<r1@plant.example>", true);
    reply(token, CHIEF, "ack", "<r1@plant.example>", true);

    assertThat(lines(AuditStatus.ACKNOWLEDGED)).hasSize(1);
    assertThat(mails()).hasSize(1);
  }

  @Test
  void aLinkAcknowledgesAndItsReplayAfterResolutionIsRefused() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String link =
        links.issue(
            ref(first), CHIEF, AckLinks.Action.ACK, clock.instant().plus(Duration.ofDays(7)));
    respond(new Response.Click(link, clock.millis()));
    assertThat(lines(AuditStatus.ACKNOWLEDGED))
        .extracting(r -> r.ack().channel())
        .containsExactly("link");

    send(event("e9", "T3", "resolved"));
    advance(Duration.ofMinutes(6));
    mails();
    respond(new Response.Click(link, clock.millis()));
    assertThat(lines(AuditStatus.ACK_REFUSED))
        .extracting(AuditRecord::reason)
        .containsExactly(
            "the incident is over: it resolved, or the token names no incident of this deployment");
  }

  @Test
  void anAcknowledgementLapsesAfterAckTtlAndRemindersResume() throws Exception {
    startWith(ROUTES.replace("on-bounce: [bridge@plant.example]", "ack-ttl: 2h"));
    Notification.GroupMail first = fired();
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);
    reply(token, CHIEF, "ack", "<r1@plant.example>", true);
    assertThat(lines(AuditStatus.ACKNOWLEDGED).get(0).ack().until())
        .isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    mails();

    advance(Duration.ofMinutes(110));
    assertThat(mails()).isEmpty();
    advance(Duration.ofMinutes(11));
    assertThat(mails())
        .extracting(n -> n.recipients().get(0))
        .as("the reminder to the chief and the escalation it held back")
        .containsExactlyInAnyOrder(CHIEF, SUPER);
  }

  @Test
  void unackResumesEscalation() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String token = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);
    reply(token, CHIEF, "ack", "<r1@plant.example>", true);
    advance(Duration.ofMinutes(20));
    reply(token, CHIEF, "unack", "<r2@plant.example>", true);
    assertThat(lines(AuditStatus.UNACKNOWLEDGED)).hasSize(1);
    advance(Duration.ofSeconds(1));
    assertThat(mails())
        .filteredOn(n -> n instanceof Notification.GroupMail)
        .extracting(n -> n.recipients().get(0))
        .containsExactly(SUPER);
  }

  @Test
  void aBounceForEveryRecipientSendsTheFallbackOnce() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String bounce = tokens.issue(MailTokens.Purpose.BOUNCE, ref(first), CHIEF);
    Response.Bounce b =
        new Response.Bounce(
            bounce,
            List.of(new Response.Recipient(CHIEF, "failed", "5.1.1", "user unknown")),
            first.messageId(),
            "4F3X2Y",
            "<dsn1@mx.plant.example>",
            clock.millis());
    respond(b);
    respond(b);
    advance(Duration.ofSeconds(1));

    List<Notification> sent = mails();
    assertThat(sent).hasSize(1);
    Notification.GroupMail fallback = (Notification.GroupMail) sent.get(0);
    assertThat(fallback.to()).isEqualTo(BRIDGE);
    assertThat(fallback.note().kind()).isEqualTo("unreachable");
    assertThat(fallback.note().unreachable()).containsExactly(CHIEF);
    advance(Duration.ofMinutes(5));
    assertThat(mails()).filteredOn(n -> n.recipients().contains(BRIDGE)).isEmpty();
  }

  @Test
  void aForgedBounceTokenIsIgnored() throws Exception {
    startWith(ROUTES);
    Notification.GroupMail first = fired();
    String reply = tokens.issue(MailTokens.Purpose.REPLY, ref(first), CHIEF);
    respond(new Response.Bounce(reply, List.of(), null, null, "<x@y>", clock.millis()));
    advance(Duration.ofSeconds(1));
    assertThat(mails()).isEmpty();
  }

  @Test
  void aGarbledResponseRecordChangesNothingAndTheStepGoesOn() throws Exception {
    startWith(ROUTES);
    fired();
    responses.pipeInput(null, "{not json".getBytes(StandardCharsets.UTF_8));
    responses.pipeInput(
        null, "{\"kind\":\"reply\",\"token\":\"zz\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(lines(AuditStatus.ACKNOWLEDGED)).isEmpty();
    assertThat(lines(AuditStatus.ACK_REFUSED))
        .extracting(AuditRecord::reason)
        .containsExactly("the reply carries no valid token");
    advance(Duration.ofMinutes(16));
    assertThat(mails()).extracting(n -> n.recipients().get(0)).containsExactly(SUPER);
  }

  @Test
  void anEscalationStepNamingAListTellsItsMembersButNotWhoWasToldAlready() throws Exception {
    startWith(
        ROUTES.replace(
            "{after: 15m, to: [superintendent@plant.example]}",
            "{after: 15m, to: [list:engine-oncall]}"));
    fired();
    advance(Duration.ofMinutes(16));
    assertThat(mails())
        .extracting(n -> n.recipients().get(0))
        .containsExactly("duty.engineer@plant.example");
  }
}

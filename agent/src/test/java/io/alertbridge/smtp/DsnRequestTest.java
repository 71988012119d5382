package io.alertbridge.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What MAIL FROM and RCPT TO say, line for line, to a real SMTP server on a loopback socket: the
 * mail's own envelope sender, and the RFC 3461 parameters only when the mail asks for them and the
 * server offers DSN.
 */
class DsnRequestTest {
  private static final String BOUNCES = "bounces+k7q2x9@alertbridge.plant.example";

  private static OutgoingMail mail(String envelopeFrom, String envelopeId, String... to)
      throws Exception {
    OutgoingMail m = TestMails.mail("<m1@test>", "Overtemp in the engine room", to);
    return new OutgoingMail(m.message(), m.messageId(), envelopeFrom, m.recipients(), envelopeId);
  }

  private static Receipt submit(RecordingSmtpServer server, OutgoingMail... mails)
      throws Exception {
    Receipt last = null;
    try (SmtpClient client =
        new SmtpClient(LoopbackSmtp.forPort(server.port()), Clock.systemUTC())) {
      for (OutgoingMail m : mails) {
        last = client.submit(m);
      }
    }
    return last;
  }

  @Test
  void asksForHeadersOnlyAndFailureOrDelayNoticesWhenTheServerOffersDsn() throws Exception {
    try (RecordingSmtpServer server = RecordingSmtpServer.start(true)) {
      submit(
          server,
          mail(BOUNCES, "ab-4F3X2Y.1", "chief.engineer@plant.example", "ops@plant.example"));

      assertThat(server.commands("MAIL"))
          .containsExactly("MAIL FROM:<" + BOUNCES + "> RET=HDRS ENVID=ab-4F3X2Y.1");
      assertThat(server.commands("RCPT"))
          .containsExactly(
              "RCPT TO:<chief.engineer@plant.example> NOTIFY=FAILURE,DELAY"
                  + " ORCPT=rfc822;chief.engineer@plant.example",
              "RCPT TO:<ops@plant.example> NOTIFY=FAILURE,DELAY ORCPT=rfc822;ops@plant.example");
    }
  }

  @Test
  void sendsPlainCommandsWhenTheServerDoesNotOfferDsn() throws Exception {
    try (RecordingSmtpServer server = RecordingSmtpServer.start(false)) {
      Receipt r = submit(server, mail(BOUNCES, "ab-4F3X2Y.1", "chief.engineer@plant.example"));

      assertThat(r.reply().code()).isEqualTo(250);
      assertThat(server.commands("MAIL")).containsExactly("MAIL FROM:<" + BOUNCES + ">");
      assertThat(server.commands("RCPT")).containsExactly("RCPT TO:<chief.engineer@plant.example>");
    }
  }

  @Test
  void sendsPlainCommandsWhenTheMailAsksForNoNotifications() throws Exception {
    try (RecordingSmtpServer server = RecordingSmtpServer.start(true)) {
      submit(server, mail(BOUNCES, null, "chief.engineer@plant.example"));

      assertThat(server.commands("MAIL")).containsExactly("MAIL FROM:<" + BOUNCES + ">");
      assertThat(server.commands("RCPT")).containsExactly("RCPT TO:<chief.engineer@plant.example>");
    }
  }

  @Test
  void eachMailOnOneConnectionUsesItsOwnEnvelopeSender() throws Exception {
    try (RecordingSmtpServer server = RecordingSmtpServer.start(true)) {
      submit(
          server,
          mail("bounces+first@alertbridge.plant.example", "first", "a@plant.example"),
          mail("bounces+second@alertbridge.plant.example", null, "a@plant.example"),
          TestMails.mail("<m3@test>", "third", "a@plant.example"));

      assertThat(server.commands("EHLO")).hasSize(1);
      assertThat(server.commands("MAIL"))
          .containsExactly(
              "MAIL FROM:<bounces+first@alertbridge.plant.example> RET=HDRS ENVID=first",
              "MAIL FROM:<bounces+second@alertbridge.plant.example>",
              "MAIL FROM:<alerts@plant.example>");
    }
  }

  @Test
  void xtextEncodesPlusAndEqualsInTheOriginalRecipient() throws Exception {
    try (RecordingSmtpServer server = RecordingSmtpServer.start(true)) {
      submit(server, mail(BOUNCES, "id", "duty+engine=room@plant.example"));

      assertThat(server.commands("RCPT"))
          .containsExactly(
              "RCPT TO:<duty+engine=room@plant.example> NOTIFY=FAILURE,DELAY"
                  + " ORCPT=rfc822;duty+2Bengine+3Droom@plant.example");
    }
  }

  @Test
  void aRefusedRecipientIsStillReportedAloneWhenNotificationsAreAsked() throws Exception {
    try (RecordingSmtpServer server =
        RecordingSmtpServer.start(
            true,
            line ->
                line.startsWith("RCPT TO:<nobody@")
                    ? "550 5.1.1 <nobody@plant.example>: Recipient address rejected"
                    : "250 2.1.5 Ok")) {
      Receipt r = submit(server, mail(BOUNCES, "id", "a@plant.example", "nobody@plant.example"));

      assertThat(r.accepted()).containsExactly("a@plant.example");
      assertThat(r.refused())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.address()).isEqualTo("nobody@plant.example");
                assertThat(f.reply().code()).isEqualTo(550);
                assertThat(f.reply().enhancedStatus()).contains("5.1.1");
              });
      assertThat(r.queueId()).contains("4F3X000001");
    }
  }

  @Test
  void aRetryForTheDeferredRecipientsAsksForNotificationsAgain() throws Exception {
    OutgoingMail first = mail(BOUNCES, "id", "a@plant.example", "busy@plant.example");
    OutgoingMail retry = first.to(List.of(new InternetAddress("busy@plant.example")));
    try (RecordingSmtpServer server = RecordingSmtpServer.start(true)) {
      submit(server, retry);

      assertThat(retry.dsnEnvelopeId()).isEqualTo("id");
      assertThat(server.commands("MAIL"))
          .containsExactly("MAIL FROM:<" + BOUNCES + "> RET=HDRS ENVID=id");
      assertThat(server.commands("RCPT"))
          .containsExactly(
              "RCPT TO:<busy@plant.example> NOTIFY=FAILURE,DELAY ORCPT=rfc822;busy@plant.example");
    }
  }
}

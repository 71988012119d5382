package io.alertbridge.inbound;

import static io.alertbridge.inbound.Mails.BOUNCE_ADDRESS;
import static io.alertbridge.inbound.Mails.BOUNCE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.Inbound.Action;
import io.alertbridge.inbound.Inbound.Bounce;
import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.RecipientStatus;
import io.alertbridge.inbound.Inbound.Rejected;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InboundParserBounceTest {
  private static final String DSN_FIELDS =
      "Reporting-MTA: dns; mail.plant.example\n"
          + "X-Postfix-Queue-ID: 7777ABCDEF\n"
          + "Original-Envelope-Id: n-unknown-to-alertbridge\n"
          + "\n"
          + "Final-Recipient: rfc822; ghost@plant.example\n"
          + "Action: failed\n"
          + "Status: 5.1.1\n"
          + "Diagnostic-Code: smtp; 550 5.1.1 no such user\n";

  @Test
  void readsAPostfixDeliveryStatusNotification() {
    Bounce b = (Bounce) Mails.parseFixture("postfix-dsn-failed.eml");
    assertThat(b.token()).isEqualTo(BOUNCE_TOKEN);
    assertThat(b.envelopeId()).isEqualTo("n-01JF3A7Q9ZK2V8X4M6B5C1D0E2");
    assertThat(b.originalMessageId())
        .isEqualTo("<20261201031208.n-01JF3A7Q9ZK2V8X4M6B5C1D0E2@alertbridge.plant.example>");
    assertThat(b.queueId()).isEqualTo("4F3X2Y1B9C");
    assertThat(b.messageId()).isEqualTo("<20261201021209.9C2D11A0F3@mail.plant.example>");
    assertThat(b.recipients())
        .containsExactly(
            new RecipientStatus(
                "third.officer@plant.example",
                Action.FAILED,
                "5.1.1",
                "550 5.1.1 <third.officer@ship.plant.example>: Recipient address rejected:"
                    + " User unknown"));
    assertThat(b.returnedHeaders())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Message-ID",
                    "<20261201031208.n-01JF3A7Q9ZK2V8X4M6B5C1D0E2@alertbridge.plant.example>",
                "Subject", "[CRITICAL] Main engine lube oil pressure low – ME1",
                "X-Alertbridge-Event-Id", "01JF3A7Q9ZK2V8X4M6B5C1D0E2",
                "X-Alertbridge-Route", "engine-critical",
                "X-Alertbridge-Group", "engine-critical/lube-oil"));
  }

  @Test
  void readsADelayedDsnWithOneGroupPerRecipient() {
    Bounce b = (Bounce) Mails.parseFixture("postfix-dsn-delayed.eml");
    String diagnostic = "connect to mx.fleet.example[198.51.100.7]:25: Connection timed out";
    assertThat(b.recipients())
        .containsExactly(
            new RecipientStatus(
                "superintendent@fleet.example", Action.DELAYED, "4.4.1", diagnostic),
            new RecipientStatus(
                "chief.engineer@fleet.example", Action.DELAYED, "4.4.1", diagnostic));
    assertThat(b.queueId()).isEqualTo("8D1E40C2F7");
    assertThat(b.envelopeId()).isEqualTo("n-01JF3B0000AAAABBBBCCCCDDDD");
  }

  @Test
  void tracesAnExchangeBounceWithoutDsnByTheHeadersQuotedInItsText() {
    Bounce b = (Bounce) Mails.parseFixture("exchange-ndr.eml");
    assertThat(b.token()).isEqualTo(BOUNCE_TOKEN);
    assertThat(b.envelopeId()).isNull();
    assertThat(b.recipients()).isEmpty();
    assertThat(b.originalMessageId())
        .isEqualTo("<20261201031208.n-01JF3C1111EEEEFFFFGGGGHHHH@alertbridge.plant.example>");
    assertThat(b.returnedHeaders())
        .containsEntry("X-Alertbridge-Event-Id", "01JF3C1111EEEEFFFFGGGGHHHH")
        .containsEntry("Subject", "[CRITICAL] Main engine lube oil pressure low");
    assertThat(b.queueId()).isNull();
  }

  @Test
  void readsADsnPartThatArrivesAsAStringWithoutAContentHandler() throws Exception {
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Your message could not be delivered.");
    MimeBodyPart status = new MimeBodyPart();
    status.setContent(DSN_FIELDS, "message/delivery-status");
    MimeMultipart report = new MimeMultipart("report", text, status);
    MimeMessage m = new MimeMessage(Mails.SESSION);
    m.setFrom("MAILER-DAEMON@mail.plant.example");
    m.setRecipients(MimeMessage.RecipientType.TO, BOUNCE_ADDRESS);
    m.setContent(report);
    m.saveChanges();

    Bounce b = (Bounce) Mails.parser().parse(m);

    assertThat(b.envelopeId()).isEqualTo("n-unknown-to-alertbridge");
    assertThat(b.queueId()).isEqualTo("7777ABCDEF");
    assertThat(b.recipients())
        .containsExactly(
            new RecipientStatus(
                "ghost@plant.example", Action.FAILED, "5.1.1", "550 5.1.1 no such user"));
  }

  @Test
  void parsesADsnForAMessageAlertbridgeNeverSentAndLeavesTheVerdictToThePolicy() {
    String raw =
        "From: Mail Delivery System <MAILER-DAEMON@relay.example>\n"
            + "To: someone-else@plant.example\n"
            + "Message-ID: <dsn-2@relay.example>\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n"
            + "\n--b\nContent-Type: text/plain\n\nFailed.\n"
            + "--b\nContent-Type: message/delivery-status\n\n"
            + DSN_FIELDS
            + "--b\nContent-Type: message/rfc822\n\n"
            + "Message-ID: <never-sent@elsewhere.example>\nSubject: hello\n\nbody\n"
            + "--b--\n";
    Bounce b = (Bounce) Mails.parseRaw(raw);
    assertThat(b.token()).isNull();
    assertThat(b.originalMessageId()).isEqualTo("<never-sent@elsewhere.example>");
    assertThat(b.recipients()).hasSize(1);
  }

  @Test
  void readsTheQueueIdOfTheFirstServerFromTheBottomMostReceivedHeader() {
    String raw =
        "From: MAILER-DAEMON@second.example\nTo: "
            + BOUNCE_ADDRESS
            + "\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n"
            + "\n--b\nContent-Type: message/delivery-status\n\n"
            + "Reporting-MTA: dns; second.example\nX-Postfix-Queue-ID: SECONDHOP1\n\n"
            + "Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.1.1\n"
            + "--b\nContent-Type: text/rfc822-headers\n\n"
            + "Received: from first.example by second.example (Postfix) with ESMTP id SECONDHOP1\n"
            + "Received: from alertbridge by first.example (Postfix) with ESMTPS id FIRSTHOP9;\n"
            + "\tTue, 1 Dec 2026 03:12:08 +0100\n"
            + "Message-ID: <m@alertbridge.plant.example>\n"
            + "--b--\n";
    assertThat(((Bounce) Mails.parseRaw(raw)).queueId()).isEqualTo("FIRSTHOP9");
  }

  @Test
  void recognisesABounceFromAMailerDaemonWithoutDomain() {
    String raw =
        "From: MAILER-DAEMON\nTo: alertbridge@plant.example\nSubject: Returned mail\n\n"
            + "   ----- Transcript of session follows -----\n"
            + "Message-ID: <s@alertbridge.plant.example>\n";
    Bounce b = (Bounce) Mails.parseRaw(raw);
    assertThat(b.token()).isNull();
    assertThat(b.originalMessageId()).isEqualTo("<s@alertbridge.plant.example>");
  }

  @Test
  void recognisesABounceWithoutDsnByItsBounceAddress() {
    String raw =
        "From: Mail System <mailsystem@relay.example>\n"
            + "To: "
            + BOUNCE_ADDRESS
            + "\nSubject: failure notice\n\n"
            + "Hi. This is the qmail-send program.\n\n"
            + "--- Below this line is a copy of the message.\n\n"
            + "Message-ID: <q@alertbridge.plant.example>\n"
            + "X-Alertbridge-Event-Id: ev-1\n";
    Bounce b = (Bounce) Mails.parseRaw(raw);
    assertThat(b.token()).isEqualTo(BOUNCE_TOKEN);
    assertThat(b.originalMessageId()).isEqualTo("<q@alertbridge.plant.example>");
  }

  @Test
  void recognisesABounceWithoutDsnFromANullSenderByItsReturnedMessageId() {
    String raw =
        "Return-Path: <>\nFrom: Mail System <mailsystem@relay.example>\n"
            + "To: alertbridge@plant.example\nSubject: failure notice\n\n"
            + "Returned: Message-ID: <q2@alertbridge.plant.example>\n"
            + "Message-ID: <q2@alertbridge.plant.example>\n";
    assertThat(((Bounce) Mails.parseRaw(raw)).originalMessageId())
        .isEqualTo("<q2@alertbridge.plant.example>");
  }

  @Test
  void rejectsAnOutOfOfficeReplySentToTheBounceAddressAsAnAutomaticReply() {
    Rejected r = (Rejected) Mails.parseFixture("outlook-out-of-office.eml");
    assertThat(r.reason()).isEqualTo(Reason.AUTO_REPLY);
    assertThat(r.detail()).isEqualTo("Auto-Submitted: auto-generated");
    assertThat(r.messageId()).isEqualTo("<0f1e2d3c4b5a@EX02.plant.example>");
  }

  @Test
  void readsTheSameBounceFromAStream() throws Exception {
    byte[] raw = Mails.fixture("postfix-dsn-failed.eml");
    Inbound fromStream = Mails.parser().parse(new ByteArrayInputStream(raw));
    assertThat(fromStream).isEqualTo(Mails.parser().parse(raw));
  }

  @Test
  void neverPrintsTheBounceTokenInItsStringForm() {
    Inbound b = Mails.parseFixture("postfix-dsn-failed.eml");
    assertThat(b.toString()).doesNotContain(BOUNCE_TOKEN);
    assertThat(new String(Mails.fixture("postfix-dsn-failed.eml"), StandardCharsets.UTF_8))
        .contains(BOUNCE_TOKEN);
  }
}

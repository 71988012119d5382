package io.alertbridge.inbound;

import static io.alertbridge.inbound.Mails.ALERT_ID;
import static io.alertbridge.inbound.Mails.REPLY_ADDRESS;
import static io.alertbridge.inbound.Mails.REPLY_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import io.alertbridge.inbound.Inbound.Reply;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundParserReplyTest {
  private static final Command ACK = new Command.Ack(Optional.empty());

  @Test
  void readsAGmailReplyAboveItsQuotedAlert() {
    Reply reply = (Reply) Mails.parseFixture("gmail-reply-quoted.eml");
    assertThat(reply.token()).isEqualTo(REPLY_TOKEN);
    assertThat(reply.from()).isEqualTo("chief.engineer@plant.example");
    assertThat(reply.command()).isEqualTo(ACK);
    assertThat(reply.messageId()).isEqualTo("<CAF3x=9q2Yk+ZpQ@mail.gmail.com>");
    assertThat(reply.inReplyTo())
        .containsExactly(ALERT_ID, "<20261130221000.n-01JF39ZZZZ@alertbridge.plant.example>");
    assertThat(reply.auth().checked()).isFalse();
    assertThat(reply.auth().pass()).isTrue();
  }

  @Test
  void readsAnAckWithADurationBelowBlankLines() {
    Reply reply = (Reply) Mails.parseFixture("reply-ack-2h.eml");
    assertThat(reply.command()).isEqualTo(new Command.Ack(Optional.of(Duration.ofHours(2))));
    assertThat(reply.from()).isEqualTo("third.officer@plant.example");
  }

  @Test
  void readsAnUnackBelowQuotedLinesInQuotedPrintableLatin1() {
    Reply reply = (Reply) Mails.parseFixture("reply-unack.eml");
    assertThat(reply.command()).isEqualTo(new Command.Unack());
    assertThat(reply.from()).isEqualTo("chief.officer@plant.example");
  }

  @Test
  void readsTheHtmlOfAnOutlookReplyWithoutPlainTextAndIgnoresTheQuotedOriginal() {
    Reply reply = (Reply) Mails.parseFixture("reply-ack-dot-outlook.eml");
    assertThat(reply.command()).isEqualTo(ACK);
    assertThat(reply.from()).isEqualTo("bosun@plant.example");
  }

  @Test
  void readsAReplyBuiltInCode() throws Exception {
    Reply reply = (Reply) Mails.parser().parse(Mails.reply("ack 30m\n\n> alert"));
    assertThat(reply.command()).isEqualTo(new Command.Ack(Optional.of(Duration.ofMinutes(30))));
    assertThat(reply.messageId()).isEqualTo("<reply-1@plant.example>");
    assertThat(reply.inReplyTo()).containsExactly(ALERT_ID);
  }

  @Test
  void findsTheTokenInDeliveredToWhenTheReplyWasSentByBcc() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setRecipients(MimeMessage.RecipientType.TO, "someone@plant.example");
    m.setHeader("Delivered-To", REPLY_ADDRESS.toUpperCase(Locale.ROOT));
    assertThat(((Reply) Mails.parser().parse(m)).token()).isEqualTo(REPLY_TOKEN);
  }

  @Test
  void findsTheTokenInCc() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setRecipients(MimeMessage.RecipientType.TO, "ops@plant.example");
    m.setRecipients(MimeMessage.RecipientType.CC, "Alerts <" + REPLY_ADDRESS + ">");
    assertThat(Mails.parser().parse(m)).isInstanceOf(Reply.class);
  }

  @Test
  void takesTheTextPartAndNotAnAttachedFile() throws Exception {
    MimeMessage m = Mails.reply("ignored");
    MimeBodyPart attached = new MimeBodyPart();
    attached.setText("ack", "UTF-8");
    attached.setDisposition(MimeBodyPart.ATTACHMENT);
    MimeBodyPart text = new MimeBodyPart();
    text.setText("unack", "UTF-8");
    m.setContent(new MimeMultipart(attached, text));
    m.saveChanges();
    assertThat(((Reply) Mails.parser().parse(m)).command()).isEqualTo(new Command.Unack());
  }

  @Test
  void extractsTheFromAddressOfAForgedReplyForThePolicyToCompare() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setHeader("From", "\"chief.engineer@plant.example\" <Mallory@Evil.Example>");
    assertThat(((Reply) Mails.parser().parse(m)).from()).isEqualTo("mallory@evil.example");
  }

  @Test
  void rejectsAReplyWhoseFirstOwnLineIsNoCommand() throws Exception {
    Rejected r =
        (Rejected) Mails.parser().parse(Mails.reply("Thanks, looking into it.\nack\n> alert"));
    assertThat(r.reason()).isEqualTo(Reason.NO_COMMAND);
    assertThat(r.messageId()).isEqualTo("<reply-1@plant.example>");
  }

  @Test
  void rejectsAnOutlookStyleReplyWithNothingAboveTheOriginal() throws Exception {
    Rejected r =
        (Rejected)
            Mails.parser()
                .parse(Mails.reply("-----Original Message-----\nFrom: alertbridge\n\nack\n"));
    assertThat(r.reason()).isEqualTo(Reason.NO_COMMAND);
  }

  @Test
  void rejectsAMessageNotAddressedToAReplyAddress() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setRecipients(MimeMessage.RecipientType.TO, "alerts@alertbridge.plant.example");
    Rejected r = (Rejected) Mails.parser().parse(m);
    assertThat(r.reason()).isEqualTo(Reason.NO_TOKEN);
    assertThat(r.detail()).isEqualTo("not addressed to a reply or bounce address");
  }

  @Test
  void rejectsAReplyAddressWithAMalformedTokenWithoutNamingTheToken() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setRecipients(
        MimeMessage.RecipientType.TO,
        "alerts+k7q2m4x5r6t2w3y4z5a6b7c2d3-9@alertbridge.plant.example");
    Rejected r = (Rejected) Mails.parser().parse(m);
    assertThat(r.reason()).isEqualTo(Reason.NO_TOKEN);
    assertThat(r.detail()).doesNotContain("k7q2").contains("[a-z2-7]");
  }

  @Test
  void rejectsAReplyWithoutFromAsMalformed() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.removeHeader("From");
    Rejected r = (Rejected) Mails.parser().parse(m);
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(r.detail()).isEqualTo("no From header");
  }

  @Test
  void rejectsAReplyWithTwoFromAddressesAsMalformed() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setHeader("From", "a@plant.example, b@plant.example");
    assertThat(((Rejected) Mails.parser().parse(m)).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void neverPrintsTheTokenInARepliesStringForm() {
    Reply reply = (Reply) Mails.parseFixture("gmail-reply-quoted.eml");
    assertThat(reply.toString()).doesNotContain(REPLY_TOKEN).contains("token=k7q2…");
  }
}

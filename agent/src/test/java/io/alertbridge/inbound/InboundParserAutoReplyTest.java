package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import io.alertbridge.inbound.Inbound.Reply;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Automatic messages never acknowledge (RFC 3834), whatever their first line says. */
class InboundParserAutoReplyTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Auto-Submitted|auto-replied|Auto-Submitted: auto-replied",
        "Auto-Submitted|Auto-Generated (vacation)|Auto-Submitted: auto-generated",
        "Auto-Submitted|auto-notified; owner-email=x@y|Auto-Submitted: auto-notified",
        "Precedence|bulk|Precedence: bulk",
        "Precedence|Junk|Precedence: junk",
        "Precedence|list|Precedence: list",
        "Precedence|auto_reply|Precedence: auto_reply",
        "X-Autoreply|yes|X-Autoreply",
        "X-Autorespond|Out of office|X-Autorespond",
        "X-Auto-Response-Suppress|DR, OOF, AutoReply|X-Auto-Response-Suppress: OOF",
        "X-Auto-Response-Suppress|All|X-Auto-Response-Suppress: All",
        "Return-Path|<>|Return-Path: <> (null sender) and not a bounce"
      })
  void rejectsAReplyMarkedAutomatic(String header, String value, String detail) throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setHeader(header, value);
    Rejected r = (Rejected) Mails.parser().parse(m);
    assertThat(r.reason()).isEqualTo(Reason.AUTO_REPLY);
    assertThat(r.detail()).isEqualTo(detail);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Auto: [CRITICAL] Main engine lube oil pressure low",
        "Automatic reply: [CRITICAL] Main engine lube oil pressure low",
        "Out of Office: [CRITICAL] Main engine lube oil pressure low",
        "OUT OF OFFICE",
        "Automatische Antwort: [CRITICAL] Main engine lube oil pressure low"
      })
  void rejectsAReplyWithAnOutOfOfficeSubject(String subject) throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setSubject(subject);
    assertThat(((Rejected) Mails.parser().parse(m)).reason()).isEqualTo(Reason.AUTO_REPLY);
  }

  @Test
  void neverActsOnItsOwnConfirmationSentBackToIt() throws Exception {
    MimeMessage confirmation = Mails.reply("ack\n\nAcknowledged by chief.engineer@plant.example");
    confirmation.setHeader("Auto-Submitted", "auto-replied");
    confirmation.setFrom("alertbridge <alerts@alertbridge.plant.example>");
    assertThat(((Rejected) Mails.parser().parse(confirmation)).reason())
        .isEqualTo(Reason.AUTO_REPLY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"no", "No (a person wrote this)"})
  void acceptsAutoSubmittedNo(String value) throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setHeader("Auto-Submitted", value);
    m.setHeader("Precedence", "first-class");
    assertThat(Mails.parser().parse(m)).isInstanceOf(Reply.class);
  }

  @Test
  void acceptsAReplyWhoseSubjectOnlyMentionsAnAbsence() throws Exception {
    MimeMessage m = Mails.reply("ack");
    m.setSubject("Re: [CRITICAL] Chief out of office, pressure low");
    assertThat(Mails.parser().parse(m)).isInstanceOf(Reply.class);
  }
}

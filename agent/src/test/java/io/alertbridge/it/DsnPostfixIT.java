package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.smtp.LoopbackSmtp;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.TestMails;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The delivery status notification request (RFC 3461) against a real Postfix, which offers DSN:
 * Postfix accepts the parameters, and the non-delivery report it writes when the next hop refuses
 * the recipient carries our envelope id and original recipient, returns only the headers, and goes
 * to the mail's own envelope sender. The report itself is discarded; Postfix's body and header
 * checks log the lines that matter ({@code WARN}), so the test reads them from Postfix's own log.
 */
class DsnPostfixIT {
  private static final String GONE = "duty+engine=room@gone.plant.example";
  private static final String ASKED = "bounces+asked@alertbridge.plant.example";
  private static final String PLAIN = "bounces+plain@alertbridge.plant.example";

  /**
   * Mail for gone.plant.example is accepted, then fails with 5.1.1 as at a second hop that refuses
   * it (an {@code error} transport chosen after queueing: chosen by transport_maps, smtpd would
   * refuse the recipient at RCPT TO already); the SMTP dialog with the client is logged; bounces
   * pass the content checks.
   */
  private static final Map<String, String> MAIN_CF =
      Map.of(
          "smtpd_recipient_restrictions", "check_recipient_access texthash:{etc}/gone",
          "debug_peer_list", "127.0.0.1",
          "internal_mail_filter_classes", "bounce",
          "header_checks", "regexp:{etc}/header_checks",
          "body_checks", "regexp:{etc}/body_checks");

  private static final Map<String, String> FILES =
      Map.of(
          "gone", "gone.plant.example FILTER error:5.1.1 mailbox unavailable\n",
          "header_checks", "/^Content-Type: *(text|message)\\/rfc822/ WARN\n",
          "body_checks", "/^(Original-Envelope-Id|Original-Recipient|Final-Recipient):/ WARN\n");

  private static OutgoingMail mail(String messageId, String envelopeFrom, String envelopeId)
      throws Exception {
    OutgoingMail m = TestMails.mail(messageId, "Overtemp in the engine room: 98.4 °C", GONE);
    return new OutgoingMail(m.message(), m.messageId(), envelopeFrom, m.recipients(), envelopeId);
  }

  @Test
  void postfixAcceptsTheRequestAndItsReportNamesTheAlertAndReturnsOnlyTheHeaders()
      throws Exception {
    try (PostfixInstance postfix = PostfixInstance.start(MAIN_CF, FILES);
        SmtpClient client =
            new SmtpClient(LoopbackSmtp.forPort(postfix.port()), Clock.systemUTC())) {
      Receipt asked = client.submit(mail("<dsn-1@test>", ASKED, "ab-dsn-1"));
      Receipt plain = client.submit(mail("<dsn-2@test>", PLAIN, null));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  postfix.maillog().contains(nonDelivery(asked))
                      && postfix.maillog().contains(nonDelivery(plain)));
      String log = postfix.maillog();

      assertThat(replyTo(log, "MAIL FROM:<" + ASKED + "> RET=HDRS ENVID=ab-dsn-1"))
          .isEqualTo("250 2.1.0 Ok");
      assertThat(
              replyTo(
                  log,
                  "RCPT TO:<"
                      + GONE
                      + "> NOTIFY=FAILURE,DELAY ORCPT=rfc822;duty+2Bengine+3Droom@gone.plant.example"))
          .isEqualTo("250 2.1.5 Ok");
      assertThat(checked(log, ASKED))
          .containsExactly(
              "body Original-Envelope-Id: ab-dsn-1",
              "body Final-Recipient: rfc822; " + GONE,
              "body Original-Recipient: rfc822;" + GONE,
              "header Content-Type: text/rfc822-headers");

      assertThat(replyTo(log, "MAIL FROM:<" + PLAIN + ">")).isEqualTo("250 2.1.0 Ok");
      assertThat(replyTo(log, "RCPT TO:<" + GONE + ">")).isEqualTo("250 2.1.5 Ok");
      assertThat(checked(log, PLAIN))
          .doesNotContain("body Original-Envelope-Id: ab-dsn-1")
          .contains("header Content-Type: message/rfc822");
    }
  }

  private static String nonDelivery(Receipt r) {
    return r.queueId().orElseThrow() + ": sender non-delivery notification: ";
  }

  /** The reply Postfix logged to the client's command line (debug_peer_list). */
  private static String replyTo(String log, String command) {
    String[] lines = log.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].endsWith(": < localhost[127.0.0.1]: " + command)) {
        for (int j = i + 1; j < lines.length; j++) {
          int at = lines[j].indexOf(": > localhost[127.0.0.1]: ");
          if (at > 0) {
            return lines[j].substring(at + ": > localhost[127.0.0.1]: ".length());
          }
        }
      }
    }
    throw new AssertionError("Postfix did not log the command " + command);
  }

  /** What the content checks saw in the report sent to this bounce address, in order. */
  private static List<String> checked(String log, String bounceAddress) {
    String tail = " from local; from=<> to=<" + bounceAddress + ">";
    return log.lines()
        .filter(l -> l.contains("postfix/cleanup[") && l.endsWith(tail))
        .map(
            l ->
                l.substring(
                    l.indexOf(": warning: ") + ": warning: ".length(), l.length() - tail.length()))
        .toList();
  }
}

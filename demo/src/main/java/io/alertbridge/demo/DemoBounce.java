package io.alertbridge.demo;

import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The delivery status notification (RFC 3464) a Postfix returns when the server behind it refuses a
 * recipient: what the demo puts into the mailbox to show a bounce traced back to its alert.
 */
final class DemoBounce {
  static final String STATUS = "5.1.1";

  private DemoBounce() {}

  /** The refusal the later hop gave, as Postfix quotes it in Diagnostic-Code. */
  static String diagnostic(String recipient) {
    return "550 "
        + STATUS
        + " <"
        + recipient
        + ">: Recipient address rejected: User unknown in local recipient table";
  }

  /**
   * The report for {@code mail}'s first recipient, addressed to its envelope sender (the bounce
   * address with its token): the ENVID alertbridge asks for (the Message-ID's local part), the
   * recipient's status, and the returned headers with the {@code Received} line of the server that
   * queued it, which names its queue ID.
   */
  static byte[] report(SmtpSink.Received mail, String messageId) {
    String recipient = mail.recipients().get(0);
    String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
    String envelopeId = messageId.replaceAll("^<|@.*$", "");
    String original = mail.dataAsString();
    int end = original.indexOf("\r\n\r\n");
    String headers = end < 0 ? original : original.substring(0, end + 2);
    String boundary = "%s.report/sink.localhost".formatted(mail.queueId());
    String text =
        """
        Return-Path: <>
        Date: %1$s
        From: MAILER-DAEMON@sink.localhost (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: %2$s
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="%3$s"
        Message-Id: <dsn.%8$s@sink.localhost>

        This is a MIME-encapsulated message.

        --%3$s
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host sink.localhost.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        <%4$s>: host mx2.plant.example[192.0.2.25] said: %5$s (in reply to RCPT TO command)

        --%3$s
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; sink.localhost
        X-Postfix-Queue-ID: %8$s
        X-Postfix-Sender: rfc822; %2$s
        Arrival-Date: %1$s
        Original-Envelope-Id: %6$s

        Final-Recipient: rfc822; %4$s
        Original-Recipient: rfc822;%4$s
        Action: failed
        Status: %7$s
        Remote-MTA: dns; mx2.plant.example
        Diagnostic-Code: smtp; %5$s

        --%3$s
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Received: from alertbridge.plant.example (localhost [127.0.0.1])
        \tby sink.localhost (Postfix) with ESMTP id %8$s
        \tfor <%4$s>; %1$s
        %9$s
        --%3$s--
        """
            .formatted(
                date,
                mail.envelopeFrom(),
                boundary,
                recipient,
                diagnostic(recipient),
                envelopeId,
                STATUS,
                mail.queueId(),
                headers.replace("\r\n", "\n"));
    return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
  }
}

package io.alertbridge.smtp;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;

/**
 * One SMTP transaction: the message, its envelope sender and all its recipients.
 *
 * @param messageId the Message-ID header, with angle brackets
 */
public record OutgoingMail(
    MimeMessage message, String messageId, String envelopeFrom, List<InternetAddress> recipients) {
  public OutgoingMail {
    recipients = List.copyOf(recipients);
  }

  /** The same message (same Message-ID) to fewer recipients: a retry for the deferred ones. */
  public OutgoingMail to(List<InternetAddress> only) {
    return new OutgoingMail(message, messageId, envelopeFrom, only);
  }
}

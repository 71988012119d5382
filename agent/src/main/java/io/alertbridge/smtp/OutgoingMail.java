package io.alertbridge.smtp;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP transaction: the message, its envelope sender and all its recipients.
 *
 * @param messageId the Message-ID header, with angle brackets
 * @param envelopeFrom this mail's MAIL FROM address (its bounces go there), without angle brackets
 * @param dsnEnvelopeId when not null, ask a server that offers DSN (RFC 3461) for delivery status
 *     notifications carrying this id as ENVID: 1 to 100 printable ASCII characters without space,
 *     {@code +} or {@code =}
 */
public record OutgoingMail(
    MimeMessage message,
    String messageId,
    String envelopeFrom,
    List<InternetAddress> recipients,
    String dsnEnvelopeId) {
  public OutgoingMail {
    Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    // The sender comes from configuration, but it is written into a command line: a CR or LF would
    // end MAIL FROM early and start a command of its own (SMTP command injection).
    if (envelopeFrom.chars().anyMatch(c -> c == '\r' || c == '\n' || c == '<' || c == '>')) {
      throw new IllegalArgumentException(
          "the envelope sender must be a bare address without CR, LF or angle brackets");
    }
    recipients = List.copyOf(recipients);
    if (dsnEnvelopeId != null) {
      DsnParameters.checkEnvelopeId(dsnEnvelopeId);
    }
  }

  /** A mail that asks for no delivery status notifications. */
  public OutgoingMail(
      MimeMessage message,
      String messageId,
      String envelopeFrom,
      List<InternetAddress> recipients) {
    this(message, messageId, envelopeFrom, recipients, null);
  }

  /** The same message (same Message-ID) to fewer recipients: a retry for the deferred ones. */
  public OutgoingMail to(List<InternetAddress> only) {
    return new OutgoingMail(message, messageId, envelopeFrom, only, dsnEnvelopeId);
  }
}

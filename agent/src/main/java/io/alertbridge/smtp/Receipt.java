package io.alertbridge.smtp;

import java.util.List;
import java.util.Optional;

/**
 * Proof that a server accepted a message: its final reply to DATA, read before the connection was
 * used again, and the queue ID parsed from that reply when it carries one. A server may accept the
 * message for some recipients only (RFC 5321 §3.3): {@code refused} got a 5xx to RCPT and will
 * never get it, {@code deferred} got a 4xx and may in a later transaction.
 *
 * @param server the name of the server that accepted the message
 * @param accepted the recipients the server accepted; all of the transaction's when not listed
 */
public record Receipt(
    String messageId,
    String server,
    SmtpReply reply,
    Optional<String> queueId,
    List<String> accepted,
    List<RecipientResult> refused,
    List<RecipientResult> deferred) {
  public Receipt {
    accepted = List.copyOf(accepted);
    refused = List.copyOf(refused);
    deferred = List.copyOf(deferred);
  }

  /** Every recipient of the transaction accepted. */
  public static Receipt of(String messageId, String server, SmtpReply reply) {
    return new Receipt(
        messageId, server, reply, QueueIds.parse(reply), List.of(), List.of(), List.of());
  }

  public static Receipt of(
      OutgoingMail mail,
      String server,
      SmtpReply reply,
      List<String> accepted,
      List<RecipientResult> failed) {
    return new Receipt(
        mail.messageId(),
        server,
        reply,
        QueueIds.parse(reply),
        accepted,
        failed.stream().filter(RecipientResult::refused).toList(),
        failed.stream().filter(f -> !f.refused()).toList());
  }
}

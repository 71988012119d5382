package io.alertbridge.smtp;

import java.util.Optional;

/**
 * Proof that a server accepted a message: its final reply to DATA, read before the connection was
 * used again, and the queue ID parsed from that reply when it carries one.
 *
 * @param server {@code host:port} of the server that accepted the message
 */
public record Receipt(String messageId, String server, SmtpReply reply, Optional<String> queueId) {
  public static Receipt of(String messageId, String server, SmtpReply reply) {
    return new Receipt(messageId, server, reply, QueueIds.parse(reply));
  }
}

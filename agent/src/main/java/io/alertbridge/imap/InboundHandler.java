package io.alertbridge.imap;

/**
 * What the watcher hands each message to. A message is moved only after the handler returned, so a
 * handler that throws (Kafka unavailable) leaves it in place to be offered again, and a crash
 * between return and move offers it again after a restart: implementations must be idempotent (the
 * policy deduplicates by Message-ID). Several watchers on one mailbox may each offer the same
 * message once in a race, for the same reason.
 */
public interface InboundHandler {
  /**
   * One message, whole as the server stores it (RFC 5322 octets).
   *
   * @param uid its IMAP UID in the watched folder, for logs
   * @return where to move it
   * @throws Exception a transient failure: the message stays and is offered again after a backoff
   */
  Disposition handle(byte[] raw, long uid) throws Exception;

  /**
   * A message larger than {@code inbound.max-message-size}, whose body is never downloaded; it is
   * moved to {@link Disposition#REJECTED} when this returns. Only its envelope is known.
   *
   * @param messageId its Message-ID from the server's ENVELOPE, or null when it has none
   * @throws Exception a transient failure, as for {@link #handle}
   */
  default void oversized(long uid, long size, String messageId) throws Exception {}
}

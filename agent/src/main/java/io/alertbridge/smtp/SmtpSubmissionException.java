package io.alertbridge.smtp;

import java.util.List;
import java.util.Optional;

/**
 * A message the server did not accept. The fields decide what happens next: a 5xx reply to RCPT or
 * after DATA is {@link #permanent()} for that message (RFC 5321 §4.2.1); a 4xx reply, a dropped
 * connection or a timeout may succeed later and is retried. {@link #serverFault()} says whether the
 * server, not the message, was the problem (connection, TLS, AUTH, MAIL FROM, 421): another server
 * may take the mail at once. {@link #uncertain()} says the server may have queued it.
 */
public final class SmtpSubmissionException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String server;
  private final transient Optional<SmtpReply> reply;
  private final boolean permanent;
  private final SmtpStage stage;
  private final transient List<RecipientResult> recipients;

  public SmtpSubmissionException(
      String server,
      Optional<SmtpReply> reply,
      boolean permanent,
      String message,
      Throwable cause) {
    this(server, reply, permanent, SmtpStage.CONNECT, message, cause);
  }

  public SmtpSubmissionException(
      String server,
      Optional<SmtpReply> reply,
      boolean permanent,
      SmtpStage stage,
      String message,
      Throwable cause) {
    this(server, reply, permanent, stage, message, cause, List.of());
  }

  /**
   * @param recipients at {@link SmtpStage#RCPT}: each recipient's own refusal (5xx) or deferral
   *     (4xx), when none was accepted
   */
  public SmtpSubmissionException(
      String server,
      Optional<SmtpReply> reply,
      boolean permanent,
      SmtpStage stage,
      String message,
      Throwable cause,
      List<RecipientResult> recipients) {
    super(message, cause);
    this.server = server;
    this.reply = reply;
    this.permanent = permanent;
    this.stage = stage;
    this.recipients = List.copyOf(recipients);
  }

  /** Each recipient's own answer, when the transaction failed because none was accepted. */
  public List<RecipientResult> recipients() {
    return recipients;
  }

  public String server() {
    return server;
  }

  /** The server's reply, absent when the failure happened below SMTP (connect, I/O, TLS). */
  public Optional<SmtpReply> reply() {
    return reply;
  }

  /** Whether no retry, on any server, can deliver this message. */
  public boolean permanent() {
    return permanent;
  }

  public SmtpStage stage() {
    return stage;
  }

  /** Whether this server, not the message, failed: the pool tries another server at once. */
  public boolean serverFault() {
    if (reply.map(r -> r.code() == 421).orElse(false)) {
      return true;
    }
    return switch (stage) {
      case CONNECT, AUTH, MAIL -> true;
      case RCPT, DATA -> false;
      case END_OF_DATA -> reply.isEmpty();
    };
  }

  /** No reply after the final dot: the server may have queued the message. */
  public boolean uncertain() {
    return stage == SmtpStage.END_OF_DATA && reply.isEmpty();
  }
}

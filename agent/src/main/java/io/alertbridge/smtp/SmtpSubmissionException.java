package io.alertbridge.smtp;

import java.util.Optional;

/**
 * A message the server did not accept. {@link #permanent()} decides what happens next: a 5xx reply
 * is permanent for that message (RFC 5321 §4.2.1), while a 4xx reply, a dropped connection or a
 * timeout may succeed later and is retried.
 */
public final class SmtpSubmissionException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String server;
  private final transient Optional<SmtpReply> reply;
  private final boolean permanent;

  public SmtpSubmissionException(
      String server,
      Optional<SmtpReply> reply,
      boolean permanent,
      String message,
      Throwable cause) {
    super(message, cause);
    this.server = server;
    this.reply = reply;
    this.permanent = permanent;
  }

  public String server() {
    return server;
  }

  /** The server's reply, absent when the failure happened below SMTP (connect, I/O, TLS). */
  public Optional<SmtpReply> reply() {
    return reply;
  }

  public boolean permanent() {
    return permanent;
  }
}

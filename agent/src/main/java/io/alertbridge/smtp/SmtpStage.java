package io.alertbridge.smtp;

/**
 * Where in the SMTP conversation a transaction failed. It decides whose fault it was: up to MAIL
 * FROM the server refused us (try another server), at RCPT a recipient was refused, after DATA the
 * message was (RFC 5321 §3.3).
 */
public enum SmtpStage {
  /** TCP connect, greeting, EHLO, STARTTLS or the TLS handshake. */
  CONNECT,
  /** AUTH. */
  AUTH,
  /** MAIL FROM: a refusal here is about us (sender not allowed, relay denied), not the message. */
  MAIL,
  /** RCPT TO. */
  RCPT,
  /** The DATA command itself, before any of the message was sent. */
  DATA,
  /**
   * Sending the message and waiting for the reply to the final dot. Without a reply the server may
   * have queued the message: the outcome is uncertain.
   */
  END_OF_DATA
}

package io.alertbridge.smtp;

/**
 * Submits one message in one SMTP transaction and returns the server's receipt. Implementations are
 * thread-safe; each call blocks until the server has answered the end of DATA.
 */
public interface MailSubmitter extends AutoCloseable {
  Receipt submit(OutgoingMail mail) throws SmtpSubmissionException;

  @Override
  void close();
}

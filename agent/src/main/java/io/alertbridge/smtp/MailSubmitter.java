package io.alertbridge.smtp;

/**
 * Submits one message in one SMTP transaction and returns the server's receipt. Implementations are
 * thread-safe; each call blocks until a server has answered the end of DATA.
 */
public interface MailSubmitter extends AutoCloseable {
  /** Told when a transaction ended without a reply after the final dot: the mail may exist. */
  @FunctionalInterface
  interface UncertainObserver {
    UncertainObserver NONE = e -> {};

    void uncertain(SmtpSubmissionException e);
  }

  Receipt submit(OutgoingMail mail) throws SmtpSubmissionException;

  /**
   * The most recipients one transaction may have; larger recipient sets are split by the caller
   * into several transactions of the same message.
   */
  default int maxRecipientsPerMessage() {
    return Integer.MAX_VALUE;
  }

  /**
   * Like {@link #submit(OutgoingMail)}, telling {@code observer} about every attempt that ended
   * uncertain on the way, the one thrown included, so each can be audited before a retry.
   */
  default Receipt submit(OutgoingMail mail, UncertainObserver observer)
      throws SmtpSubmissionException {
    try {
      return submit(mail);
    } catch (SmtpSubmissionException e) {
      if (e.uncertain()) {
        observer.uncertain(e);
      }
      throw e;
    }
  }

  @Override
  void close();
}

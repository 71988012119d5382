package io.alertbridge.smtp;

import jakarta.mail.MessagingException;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressSucceededException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/** Reads the deciding server reply out of Angus Mail's exception chain. */
final class SmtpFailures {
  private SmtpFailures() {}

  /**
   * The most decisive reply in the chain: a 5xx if any recipient or command got one (retrying
   * cannot change it), else the first 4xx, else none (the failure was below SMTP).
   */
  static Optional<SmtpReply> decisiveReply(MessagingException e) {
    SmtpReply transientReply = null;
    for (Exception x = e; x != null; x = next(x)) {
      Optional<SmtpReply> r = reply(x);
      if (r.isPresent() && r.get().isPermanentFailure()) {
        return r;
      }
      if (r.isPresent() && r.get().isTransientFailure() && transientReply == null) {
        transientReply = r.get();
      }
    }
    return Optional.ofNullable(transientReply);
  }

  /**
   * A reply quoted in an exception's message, as Angus Mail reports a failed AUTH ("535 5.7.8
   * Error: authentication failed").
   */
  static Optional<SmtpReply> replyInMessage(MessagingException e) {
    String m = e.getMessage();
    if (m == null || !m.strip().matches("^[2-5]\\d\\d[ -].*")) {
      return Optional.empty();
    }
    return Optional.of(SmtpReply.parse(m.strip()));
  }

  private static Exception next(Exception x) {
    return x instanceof MessagingException m ? m.getNextException() : null;
  }

  private static Optional<SmtpReply> reply(Exception x) {
    if (x instanceof SMTPAddressSucceededException) {
      return Optional.empty();
    }
    int code;
    if (x instanceof SMTPSendFailedException s) {
      code = s.getReturnCode();
    } else if (x instanceof SMTPAddressFailedException a) {
      code = a.getReturnCode();
    } else {
      return Optional.empty();
    }
    if (code < 200) {
      // Angus Mail reports -1 when no reply was read at all (a timeout, a dropped connection).
      return Optional.empty();
    }
    SmtpReply parsed = SmtpReply.parse(x.getMessage());
    return Optional.of(
        parsed.code() == code
            ? parsed
            : new SmtpReply(code, parsed.enhancedStatus(), parsed.text()));
  }
}

package io.alertbridge.delivery;

import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpSubmissionException;
import java.util.Optional;

/**
 * How a submission ended: accepted with a receipt, or permanently refused; and after how many
 * tries.
 */
public record SubmissionResult(
    Optional<Receipt> receipt, Optional<SmtpSubmissionException> rejection, int attempts) {
  static SubmissionResult accepted(Receipt r, int attempts) {
    return new SubmissionResult(Optional.of(r), Optional.empty(), attempts);
  }

  static SubmissionResult rejected(SmtpSubmissionException e, int attempts) {
    return new SubmissionResult(Optional.empty(), Optional.of(e), attempts);
  }
}

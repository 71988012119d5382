package io.alertbridge.delivery;

import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.RecipientResult;
import io.alertbridge.smtp.SmtpSubmissionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a submission ended, after how many tries: the receipts of every transaction a server accepted
 * (more than one when deferred recipients followed in a later transaction), the recipients refused
 * for good along the way, and the refusal that ended it, if one did.
 */
public record SubmissionResult(
    List<Receipt> receipts,
    List<RecipientResult> refused,
    Optional<SmtpSubmissionException> rejection,
    int attempts) {
  public SubmissionResult {
    receipts = List.copyOf(receipts);
    refused = List.copyOf(refused);
  }

  /** Every recipient refused with a 5xx, in whichever transaction. */
  public List<RecipientResult> allRefused() {
    List<RecipientResult> all = new ArrayList<>(refused);
    receipts.forEach(r -> all.addAll(r.refused()));
    rejection.ifPresent(
        e -> e.recipients().stream().filter(RecipientResult::refused).forEach(all::add));
    return all;
  }

  /** The last receipt: the only one when every recipient was accepted in one transaction. */
  public Optional<Receipt> receipt() {
    return receipts.isEmpty() ? Optional.empty() : Optional.of(receipts.get(receipts.size() - 1));
  }
}

package io.alertbridge.smtp;

import java.util.Objects;

/** What the server answered to one RCPT TO that it did not accept. */
public record RecipientResult(String address, SmtpReply reply) {
  public RecipientResult {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(reply, "reply");
  }

  /** 5xx: this recipient will not get the mail from any retry. */
  public boolean refused() {
    return reply.isPermanentFailure();
  }
}

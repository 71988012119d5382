package io.alertbridge.address;

import java.util.List;

/**
 * What an SMTP probe learned: which server answered, every command and reply, whether the server
 * accepted a random address (catch-all) and the real one.
 *
 * @param catchAll null when the probe did not get that far
 * @param deliverable null when the server gave no definite answer
 */
public record ProbeResult(
    String host,
    List<String> replies,
    Boolean catchAll,
    Boolean deliverable,
    Outcome outcome,
    String detail,
    boolean smtputf8Supported) {
  /** How the probe ended. */
  public enum Outcome {
    DELIVERABLE,
    ACCEPT_ALL,
    UNDELIVERABLE,
    TRY_LATER,
    UNREACHABLE,
    SENDER_REFUSED,
    SMTPUTF8_UNSUPPORTED
  }

  public ProbeResult {
    replies = List.copyOf(replies);
  }
}

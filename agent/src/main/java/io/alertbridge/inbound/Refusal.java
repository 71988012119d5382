package io.alertbridge.inbound;

/** Ends parsing with a {@link Inbound.Rejected}; internal to the parser, never thrown out of it. */
final class Refusal extends Exception {
  private final Inbound.Reason reason;

  Refusal(Inbound.Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  Inbound.Reason reason() {
    return reason;
  }
}

package io.alertbridge.silence;

/** A matcher or silence that cannot be accepted; the message names the input and the rule. */
public final class MatcherException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MatcherException(String message) {
    super(message);
  }
}

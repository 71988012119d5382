package io.alertbridge.event;

/** A record that is not an alert event; the message says why, for the dead-letter headers. */
public final class InvalidEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String reason) {
    super(reason);
  }
}

package io.alertbridge.delivery;

/**
 * A dead-letter copy was not written. {@link #permanent()} decides what happens next: a transient
 * failure (broker unavailable, timeout) is retried after {@code kafka.dead-letter-retry-backoff}; a
 * permanent one (not authorised, invalid topic, a copy too large even truncated) can never succeed,
 * so the daemon stops with this message rather than spin.
 */
public final class DeadLetterWriteException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean permanent;

  public DeadLetterWriteException(boolean permanent, String message, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  public boolean permanent() {
    return permanent;
  }
}

package io.alertbridge.inbound;

/**
 * The message could not be read because its folder or store closed, or it was expunged (by another
 * instance, say). Nothing was decided about it: read it again later rather than moving it to {@code
 * rejected}.
 */
public final class MessageUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MessageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

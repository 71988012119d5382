package io.alertbridge.render;

/** A template could not be rendered for an event; retrying will not help. */
public final class RenderException extends Exception {
  private static final long serialVersionUID = 1L;

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.alertbridge.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * Tells in-flight deliveries to give up (partition revoked, shutdown). Work that has not reached
 * the server stops; a submission already under way finishes, since its outcome must be recorded.
 */
public final class Cancellation {
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();

  public void cancel() {
    cancelled.complete(null);
  }

  public boolean isCancelled() {
    return cancelled.isDone();
  }

  /** Completes when {@link #cancel()} is called; lets waits end early. */
  CompletableFuture<Void> signal() {
    return cancelled;
  }

  /** Thrown through a delivery's future when it was abandoned, so its offset is not committed. */
  public static final class AbandonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AbandonedException(String what) {
      super(what + " abandoned: delivery cancelled");
    }
  }
}

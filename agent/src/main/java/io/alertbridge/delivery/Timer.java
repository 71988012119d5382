package io.alertbridge.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits that end early when their delivery is cancelled. Every wait of the delivery path (backoff
 * between SMTP attempts, between dead-letter writes, after an unexpected failure) goes through
 * here, so a revoke or SIGTERM is never held up by a timer. The scheduler only times: no work runs
 * on its thread.
 */
public final class Timer {
  private final ScheduledExecutorService scheduler;

  public Timer(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Completes after {@code delay}, or exceptionally with {@link Cancellation.AbandonedException} as
   * soon as {@code cancellation} is cancelled, whichever comes first.
   */
  CompletableFuture<Void> after(Duration delay, Cancellation cancellation, String what) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (cancellation.isCancelled()) {
      done.completeExceptionally(new Cancellation.AbandonedException(what));
      return done;
    }
    ScheduledFuture<?> tick =
        scheduler.schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
    cancellation
        .signal()
        .thenRun(
            () -> {
              tick.cancel(false);
              done.completeExceptionally(new Cancellation.AbandonedException(what));
            });
    return done;
  }
}

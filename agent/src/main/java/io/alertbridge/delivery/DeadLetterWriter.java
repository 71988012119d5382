package io.alertbridge.delivery;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a record to the dead-letter topic until the write is acknowledged: only then may its
 * offset be committed. Transient failures are retried after {@code kafka.dead-letter-retry-backoff}
 * (a cancellable wait); a permanent one goes to the {@link FatalErrorHandler} and the record stays
 * uncommitted.
 */
final class DeadLetterWriter {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final DeadLetterSink sink;
  private final Timer timer;
  private final Duration backoff;
  private final FatalErrorHandler fatal;

  DeadLetterWriter(DeadLetterSink sink, Timer timer, Duration backoff, FatalErrorHandler fatal) {
    this.sink = sink;
    this.timer = timer;
    this.backoff = backoff;
    this.fatal = fatal;
  }

  /**
   * Completes when acknowledged; exceptionally with {@link Cancellation.AbandonedException} when
   * cancelled or after a permanent failure (which has then been reported as fatal).
   */
  CompletionStage<Void> write(InboundRecord r, DeadLetter dl, Cancellation cancellation) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    attempt(r, dl, cancellation, done);
    return done;
  }

  private void attempt(
      InboundRecord r, DeadLetter dl, Cancellation cancellation, CompletableFuture<Void> done) {
    if (cancellation.isCancelled()) {
      done.completeExceptionally(
          new Cancellation.AbandonedException("dead-letter of " + r.position()));
      return;
    }
    CompletionStage<Void> published;
    try {
      published = sink.publish(r, dl);
    } catch (RuntimeException e) {
      published = CompletableFuture.failedFuture(e);
    }
    published.whenComplete(
        (v, error) -> {
          if (error == null) {
            log.info(
                "dead-lettered {} ({}): {}", r.position(), dl.status().wireName(), dl.reason());
            done.complete(null);
            return;
          }
          Throwable cause = SubmissionRetrier.unwrap(error);
          if (cause instanceof DeadLetterWriteException w && w.permanent()) {
            fatal.fatal("cannot write " + r.position() + " to the dead-letter topic", w);
            done.completeExceptionally(
                new Cancellation.AbandonedException("dead-letter of " + r.position()));
            return;
          }
          log.error(
              "cannot write {} to the dead-letter topic, retrying in {}: {}",
              r.position(),
              backoff,
              cause.toString());
          timer
              .after(backoff, cancellation, "dead-letter of " + r.position())
              .whenComplete(
                  (ok, cancelled) -> {
                    if (cancelled != null) {
                      done.completeExceptionally(SubmissionRetrier.unwrap(cancelled));
                    } else {
                      attempt(r, dl, cancellation, done);
                    }
                  });
        });
  }
}

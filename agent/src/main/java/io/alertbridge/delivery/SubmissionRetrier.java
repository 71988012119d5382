package io.alertbridge.delivery;

import io.alertbridge.config.RetrySettings;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a mail until the server accepts or permanently refuses it.
 *
 * <p>Transient failures (4xx, I/O, timeouts) are retried by a Resilience4j {@link Retry} with
 * exponential backoff. Its defaults would also retry 5xx replies, so the predicate is explicit: a
 * permanent refusal ends the submission at once. When a round of attempts is used up the mail is
 * not given up: nothing may be skipped, so after {@code max-backoff} another round starts, until
 * the server recovers or the delivery is cancelled.
 *
 * <p>Waits run on the injected scheduler, never by sleeping a worker thread.
 */
public final class SubmissionRetrier {
  private static final Logger log = LoggerFactory.getLogger(SubmissionRetrier.class);

  private final MailSubmitter submitter;
  private final Executor workers;
  private final ScheduledExecutorService scheduler;
  private final RetrySettings settings;
  private final Retry retry;

  public SubmissionRetrier(
      MailSubmitter submitter,
      Executor workers,
      ScheduledExecutorService scheduler,
      RetrySettings settings) {
    this.submitter = submitter;
    this.workers = workers;
    this.scheduler = scheduler;
    this.settings = settings;
    this.retry =
        Retry.of(
            "smtp",
            RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(
                    IntervalFunction.ofExponentialBackoff(
                        settings.initialBackoff(), settings.multiplier(), settings.maxBackoff()))
                .retryOnException(SubmissionRetrier::isTransient)
                .build());
  }

  static boolean isTransient(Throwable t) {
    return unwrap(t) instanceof SmtpSubmissionException s && !s.permanent();
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  public CompletionStage<SubmissionResult> submit(OutgoingMail mail, Cancellation cancellation) {
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<SubmissionResult> result = new CompletableFuture<>();
    round(mail, cancellation, attempts, result);
    return result;
  }

  private void round(
      OutgoingMail mail,
      Cancellation cancellation,
      AtomicInteger attempts,
      CompletableFuture<SubmissionResult> result) {
    retry
        .executeCompletionStage(scheduler, () -> attempt(mail, cancellation, attempts))
        .whenComplete(
            (receipt, error) -> {
              if (error == null) {
                result.complete(SubmissionResult.accepted(receipt, attempts.get()));
                return;
              }
              Throwable cause = unwrap(error);
              if (cause instanceof SmtpSubmissionException s && s.permanent()) {
                result.complete(SubmissionResult.rejected(s, attempts.get()));
              } else if (cause instanceof SmtpSubmissionException s
                  && !cancellation.isCancelled()) {
                log.error(
                    "{} still not accepted after {} attempts ({}); retrying in {}",
                    mail.messageId(),
                    attempts.get(),
                    s.getMessage(),
                    settings.maxBackoff());
                afterDelay(cancellation, () -> round(mail, cancellation, attempts, result));
              } else if (cancellation.isCancelled()) {
                result.completeExceptionally(new Cancellation.AbandonedException(mail.messageId()));
              } else {
                result.completeExceptionally(cause);
              }
            });
  }

  private void afterDelay(Cancellation cancellation, Runnable next) {
    CompletableFuture<Void> timer = new CompletableFuture<>();
    scheduler.schedule(
        () -> timer.complete(null), settings.maxBackoff().toMillis(), TimeUnit.MILLISECONDS);
    timer.applyToEither(cancellation.signal(), v -> v).thenRun(next);
  }

  private CompletionStage<Receipt> attempt(
      OutgoingMail mail, Cancellation cancellation, AtomicInteger attempts) {
    if (cancellation.isCancelled()) {
      return CompletableFuture.failedFuture(new Cancellation.AbandonedException(mail.messageId()));
    }
    int attempt = attempts.incrementAndGet();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return submitter.submit(mail);
          } catch (SmtpSubmissionException e) {
            if (!e.permanent()) {
              log.warn(
                  "{} attempt {} failed on {}: {}",
                  mail.messageId(),
                  attempt,
                  e.server(),
                  e.getMessage());
            }
            throw new CompletionException(e);
          }
        },
        workers);
  }
}

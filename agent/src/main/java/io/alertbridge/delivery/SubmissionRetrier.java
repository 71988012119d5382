package io.alertbridge.delivery;

import io.alertbridge.config.RetrySettings;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.RecipientResult;
import io.alertbridge.smtp.SmtpStage;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a mail until the server accepts or permanently refuses it.
 *
 * <p>Transient failures (4xx, I/O, timeouts) are retried with exponential backoff; a Resilience4j
 * {@link Retry} decides (its async context gives the delay for each failure, or none when a round
 * is used up). Its defaults would also retry 5xx replies, so the predicate is explicit: a permanent
 * refusal ends the submission at once. When a round of attempts is used up the mail is not given
 * up: nothing may be skipped, so after {@code max-backoff} another round starts, until the server
 * recovers or the delivery is cancelled.
 *
 * <p>The waits are ours, not Resilience4j's ({@code executeCompletionStage} cannot be cancelled):
 * they run on {@link Timer} and end as soon as the delivery is cancelled. Attempts run on the
 * worker pool, never on the timer's thread.
 */
public final class SubmissionRetrier {
  private static final Logger log = LoggerFactory.getLogger(SubmissionRetrier.class);

  private final MailSubmitter submitter;
  private final Executor workers;
  private final Timer timer;
  private final RetrySettings settings;
  private final Retry retry;

  public SubmissionRetrier(
      MailSubmitter submitter, Executor workers, Timer timer, RetrySettings settings) {
    this.submitter = submitter;
    this.workers = workers;
    this.timer = timer;
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

  /**
   * Completes with the outcome; exceptionally with {@link Cancellation.AbandonedException} when
   * cancelled first, or with whatever the submitter threw that is no SMTP outcome (a bug).
   */
  public CompletionStage<SubmissionResult> submit(OutgoingMail mail, Cancellation cancellation) {
    return submit(mail, cancellation, MailSubmitter.UncertainObserver.NONE);
  }

  /**
   * @param uncertain told about every attempt that ended without a reply after the final dot, so it
   *     is audited before the retry that may make a second copy
   */
  public CompletionStage<SubmissionResult> submit(
      OutgoingMail mail, Cancellation cancellation, MailSubmitter.UncertainObserver uncertain) {
    int limit = submitter.maxRecipientsPerMessage();
    if (mail.recipients().size() <= limit) {
      return submitOne(mail, cancellation, uncertain);
    }
    // More recipients than a server takes in one transaction: the same message (same Message-ID)
    // in several transactions, one after another, their outcomes merged.
    CompletionStage<SubmissionResult> chain =
        CompletableFuture.completedFuture(
            new SubmissionResult(List.of(), List.of(), Optional.empty(), 0));
    for (int from = 0; from < mail.recipients().size(); from += limit) {
      OutgoingMail part =
          mail.to(
              mail.recipients().subList(from, Math.min(from + limit, mail.recipients().size())));
      chain =
          chain.thenCompose(
              sofar ->
                  submitOne(part, cancellation, uncertain).thenApply(next -> merge(sofar, next)));
    }
    return chain;
  }

  private static SubmissionResult merge(SubmissionResult a, SubmissionResult b) {
    List<Receipt> receipts = new ArrayList<>(a.receipts());
    receipts.addAll(b.receipts());
    List<RecipientResult> refused = new ArrayList<>(a.refused());
    refused.addAll(b.refused());
    b.rejection()
        .filter(x -> a.rejection().isPresent())
        .ifPresent(
            x -> x.recipients().stream().filter(RecipientResult::refused).forEach(refused::add));
    return new SubmissionResult(
        receipts,
        refused,
        a.rejection().isPresent() ? a.rejection() : b.rejection(),
        a.attempts() + b.attempts());
  }

  private CompletionStage<SubmissionResult> submitOne(
      OutgoingMail mail, Cancellation cancellation, MailSubmitter.UncertainObserver uncertain) {
    Submission sub = new Submission(cancellation, uncertain);
    next(sub, mail, retry.asyncContext());
    return sub.result;
  }

  /** One mail's way through its attempts: what is settled so far and where the outcome goes. */
  private static final class Submission {
    final Cancellation cancellation;
    final MailSubmitter.UncertainObserver uncertain;
    final AtomicInteger attempts = new AtomicInteger();
    final List<Receipt> receipts = new ArrayList<>();
    final List<RecipientResult> refused = new ArrayList<>();
    final CompletableFuture<SubmissionResult> result = new CompletableFuture<>();

    Submission(Cancellation cancellation, MailSubmitter.UncertainObserver uncertain) {
      this.cancellation = cancellation;
      this.uncertain = uncertain;
    }

    SubmissionResult outcome(Optional<SmtpSubmissionException> rejection) {
      return new SubmissionResult(receipts, refused, rejection, attempts.get());
    }
  }

  private void next(Submission sub, OutgoingMail mail, Retry.AsyncContext<Receipt> round) {
    attempt(mail, sub.cancellation, sub.uncertain, sub.attempts)
        .whenComplete(
            (receipt, error) -> {
              if (error == null) {
                accepted(sub, mail, round, receipt);
                return;
              }
              Throwable cause = unwrap(error);
              if (!(cause instanceof SmtpSubmissionException s)) {
                sub.result.completeExceptionally(cause);
                return;
              }
              long delay = round.onError(s);
              if (s.permanent()) {
                sub.result.complete(sub.outcome(Optional.of(s)));
                return;
              }
              // Refused recipients are final; only the deferred ones are tried again.
              s.recipients().stream().filter(RecipientResult::refused).forEach(sub.refused::add);
              later(sub, without(mail, s.recipients()), round, delay, s.getMessage());
            });
  }

  /**
   * A server took the message. Recipients it deferred (4xx to RCPT, e.g. 452 too many recipients)
   * get the same message, same Message-ID, in a later transaction; the accepted ones never again.
   */
  private void accepted(
      Submission sub, OutgoingMail mail, Retry.AsyncContext<Receipt> round, Receipt receipt) {
    sub.receipts.add(receipt);
    if (receipt.deferred().isEmpty()) {
      round.onComplete();
      sub.result.complete(sub.outcome(Optional.empty()));
      return;
    }
    String why =
        "deferred by "
            + receipt.server()
            + ": "
            + receipt.deferred().stream()
                .map(d -> d.address() + " (" + d.reply() + ")")
                .collect(Collectors.joining(", "));
    long delay =
        round.onError(
            new SmtpSubmissionException(
                receipt.server(), Optional.empty(), false, SmtpStage.RCPT, why, null));
    List<String> deferred = receipt.deferred().stream().map(RecipientResult::address).toList();
    later(
        sub,
        mail.to(mail.recipients().stream().filter(a -> deferred.contains(a.getAddress())).toList()),
        round,
        delay,
        why);
  }

  /** The mail without the recipients that were refused for good. */
  private static OutgoingMail without(OutgoingMail mail, List<RecipientResult> results) {
    List<String> refused =
        results.stream().filter(RecipientResult::refused).map(RecipientResult::address).toList();
    return refused.isEmpty()
        ? mail
        : mail.to(
            mail.recipients().stream().filter(a -> !refused.contains(a.getAddress())).toList());
  }

  /** Waits the policy's delay (or max-backoff and a new round), cancellably, then tries again. */
  private void later(
      Submission sub,
      OutgoingMail mail,
      Retry.AsyncContext<Receipt> round,
      long delay,
      String why) {
    Retry.AsyncContext<Receipt> nextRound = round;
    Duration wait = Duration.ofMillis(delay);
    if (delay < 0) {
      log.error(
          "{} still not accepted after {} attempts ({}); retrying in {}",
          mail.messageId(),
          sub.attempts.get(),
          why,
          settings.maxBackoff());
      nextRound = retry.asyncContext();
      wait = settings.maxBackoff();
    }
    Retry.AsyncContext<Receipt> then = nextRound;
    timer
        .after(wait, sub.cancellation, mail.messageId())
        .whenComplete(
            (v, cancelled) -> {
              if (cancelled != null) {
                sub.result.completeExceptionally(unwrap(cancelled));
              } else {
                next(sub, mail, then);
              }
            });
  }

  private CompletableFuture<Receipt> attempt(
      OutgoingMail mail,
      Cancellation cancellation,
      MailSubmitter.UncertainObserver uncertain,
      AtomicInteger attempts) {
    if (cancellation.isCancelled()) {
      return CompletableFuture.failedFuture(new Cancellation.AbandonedException(mail.messageId()));
    }
    int attempt = attempts.incrementAndGet();
    try {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              return submitter.submit(mail, uncertain);
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
    } catch (RejectedExecutionException e) {
      // The worker pool is shutting down: this delivery ends uncommitted, like a cancelled one.
      return CompletableFuture.failedFuture(new Cancellation.AbandonedException(mail.messageId()));
    }
  }
}

package io.alertbridge.delivery;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.LoggingSettings;
import io.alertbridge.render.RenderException;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.RecipientResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record all the way: plan (decode and route, or read a notification), render, submit,
 * audit, and dead-letter what cannot become accepted mail. The returned stage completes normally
 * exactly when the record's offset may be committed; it completes exceptionally only when the
 * delivery was abandoned (cancelled, or stopped by a fatal error), or with an {@link Error}.
 *
 * <p>An exception that is no delivery outcome (a bug in a template function, a library's runtime
 * exception) does not stop the partition: the record is tried again in place, and after {@code
 * delivery.max-unexpected-failures} it is dead-lettered with the exception in its headers. The
 * record remembers which routes a server already accepted (or refused for good), so a retry never
 * mails those again.
 */
public final class RecordProcessor {
  private static final Logger log = LoggerFactory.getLogger(RecordProcessor.class);

  /** One line per accepted mail; {@code logging.mail-lines: false} turns this logger off. */
  private static final Logger mailLog = LoggerFactory.getLogger(LoggingSettings.MAIL_LOGGER);

  static final Duration UNEXPECTED_RETRY_DELAY = Duration.ofSeconds(1);

  /** The stages a record passes through, in order. */
  public record Stages(
      MailPlanner planner, SubmissionRetrier retrier, AuditLog audit, DeliveryObserver observer) {
    public Stages {
      Objects.requireNonNull(planner, "planner");
      Objects.requireNonNull(observer, "observer");
      Objects.requireNonNull(retrier, "retrier");
      Objects.requireNonNull(audit, "audit");
    }
  }

  /** How failures that are no server's reply are handled. */
  public record FailurePolicy(Duration deadLetterRetryBackoff, int maxUnexpectedFailures) {
    public FailurePolicy {
      if (deadLetterRetryBackoff.isNegative() || deadLetterRetryBackoff.isZero()) {
        throw new IllegalArgumentException(
            "deadLetterRetryBackoff must be positive, found " + deadLetterRetryBackoff);
      }
      if (maxUnexpectedFailures < 1) {
        throw new IllegalArgumentException(
            "maxUnexpectedFailures must be at least 1, found " + maxUnexpectedFailures);
      }
    }
  }

  /** A route's delivery that did not end in accepted mail, and why. */
  private record Failure(AuditStatus status, String reason) {}

  /** What one record has done so far, kept across its retries in this process. */
  private static final class Progress {
    /** Route name → null when accepted, else its permanent failure. */
    final Map<String, Failure> settled = new LinkedHashMap<>();

    int unexpectedFailures;
  }

  private final Stages stages;
  private final DeadLetterWriter deadLetters;
  private final Timer timer;
  private final FailurePolicy policy;
  private final Clock clock;

  public RecordProcessor(
      Stages stages,
      DeadLetterSink deadLetters,
      Timer timer,
      FailurePolicy policy,
      FatalErrorHandler fatal,
      Clock clock) {
    this.stages = stages;
    this.deadLetters =
        new DeadLetterWriter(deadLetters, timer, policy.deadLetterRetryBackoff(), fatal);
    this.timer = timer;
    this.policy = policy;
    this.clock = clock;
  }

  public CompletionStage<Void> process(InboundRecord r, Cancellation cancellation) {
    return attempt(r, new Progress(), cancellation);
  }

  private CompletionStage<Void> attempt(InboundRecord r, Progress p, Cancellation cancellation) {
    CompletionStage<Void> once;
    try {
      once = deliverOnce(r, p, cancellation);
    } catch (RuntimeException e) {
      once = CompletableFuture.failedFuture(e);
    }
    return once.exceptionallyCompose(error -> afterUnexpected(r, p, cancellation, error));
  }

  private CompletionStage<Void> afterUnexpected(
      InboundRecord r, Progress p, Cancellation cancellation, Throwable error) {
    Throwable cause = SubmissionRetrier.unwrap(error);
    if (cause instanceof Cancellation.AbandonedException || cause instanceof Error) {
      return CompletableFuture.failedFuture(cause);
    }
    p.unexpectedFailures++;
    if (p.unexpectedFailures >= policy.maxUnexpectedFailures()) {
      String reason =
          "unexpected failure "
              + p.unexpectedFailures
              + " times (delivery.max-unexpected-failures): "
              + cause;
      log.error("giving up on {}: {}", r.position(), reason, cause);
      audit(
          AuditRecords.withoutMail(
              clock.instant(), AuditStatus.DEAD_LETTERED, r, null, null, List.of(), reason));
      return deadLetters.write(r, DeadLetter.ofException(reason, cause), cancellation);
    }
    log.error(
        "unexpected failure {} of {} delivering {}; trying it again in {}",
        p.unexpectedFailures,
        policy.maxUnexpectedFailures(),
        r.position(),
        UNEXPECTED_RETRY_DELAY,
        cause);
    return timer
        .after(UNEXPECTED_RETRY_DELAY, cancellation, r.position())
        .thenCompose(v -> attempt(r, p, cancellation));
  }

  private CompletionStage<Void> deliverOnce(
      InboundRecord r, Progress p, Cancellation cancellation) {
    MailPlanner.Plan plan = stages.planner().plan(r);
    if (plan instanceof MailPlanner.AuditOnly lines) {
      lines.records().forEach(this::audit);
      return CompletableFuture.completedFuture(null);
    }
    if (plan instanceof MailPlanner.Suppressed s) {
      for (String route : s.routes()) {
        audit(
            AuditRecords.withoutMail(
                clock.instant(),
                AuditStatus.SUPPRESSED,
                r,
                s.eventId(),
                route,
                List.of(),
                s.reason()));
      }
      return CompletableFuture.completedFuture(null);
    }
    if (plan instanceof MailPlanner.Unusable u) {
      if (u.status() == AuditStatus.INVALID) {
        log.warn("invalid event at {}: {}", r.position(), u.reason());
      } else {
        log.warn("event {} at {}: {}", u.eventId(), r.position(), u.reason());
      }
      audit(
          AuditRecords.withoutMail(
              clock.instant(), u.status(), r, u.eventId(), null, List.of(), u.reason()));
      return deadLetters.write(r, new DeadLetter(u.status(), u.reason()), cancellation);
    }
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (MailPlanner.PlannedMail mail : ((MailPlanner.Mails) plan).mails()) {
      chain = chain.thenCompose(v -> deliverRoute(r, mail, p, cancellation));
    }
    return chain.thenCompose(v -> deadLetterFailures(r, p, cancellation));
  }

  /** Delivers one route unless an earlier try of this record already settled it. */
  private CompletionStage<Void> deliverRoute(
      InboundRecord r, MailPlanner.PlannedMail planned, Progress p, Cancellation cancellation) {
    if (p.settled.containsKey(planned.route())) {
      return CompletableFuture.completedFuture(null);
    }
    return deliver(r, planned, p, cancellation)
        .thenAccept(failure -> p.settled.put(planned.route(), failure));
  }

  private CompletionStage<Void> deadLetterFailures(
      InboundRecord r, Progress p, Cancellation cancellation) {
    List<Failure> failures = new ArrayList<>();
    p.settled.values().stream().filter(Objects::nonNull).forEach(failures::add);
    if (failures.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    AuditStatus status =
        failures.stream().anyMatch(f -> f.status() == AuditStatus.REJECTED)
            ? AuditStatus.REJECTED
            : AuditStatus.DEAD_LETTERED;
    String reason = String.join("; ", failures.stream().map(Failure::reason).toList());
    return deadLetters.write(r, new DeadLetter(status, reason), cancellation);
  }

  /** Completes with null when the route's mail was accepted, else with the failure. */
  private CompletionStage<Failure> deliver(
      InboundRecord r, MailPlanner.PlannedMail planned, Progress p, Cancellation cancellation) {
    OutgoingMail mail;
    try {
      mail = planned.build().build();
    } catch (RenderException e) {
      String reason = "route " + planned.route() + ": " + e.getMessage();
      log.error("event {} at {}: {}", planned.eventIds(), r.position(), reason);
      audit(
          AuditRecords.withoutMail(
              clock.instant(),
              AuditStatus.DEAD_LETTERED,
              r,
              planned,
              AuditRecords.addresses(planned.recipients()),
              e.getMessage()));
      return CompletableFuture.completedFuture(new Failure(AuditStatus.DEAD_LETTERED, reason));
    }
    return stages
        .retrier()
        .submit(
            mail,
            cancellation,
            e -> {
              log.warn(
                  "uncertain event={} route={} server={} message_id={}: {} ({})",
                  planned.eventIds(),
                  planned.route(),
                  e.server(),
                  mail.messageId(),
                  e.getMessage(),
                  r.position());
              audit(AuditRecords.uncertain(clock.instant(), r, planned, mail, e));
            })
        .thenApply(result -> settle(r, planned, mail, result, p));
  }

  /**
   * Audits each accepted transaction and the refusals. The route fails (and the record is
   * dead-lettered, naming them) when any recipient was refused for good, even if the others got the
   * mail: a departed engineer's 550 must reach an operator, not only the audit log.
   *
   * <p>The route is recorded as settled before anything else happens: after the server's 250, a
   * failure in logging, auditing or an observer would otherwise make the retry mail it again (issue
   * 15, M2).
   */
  private Failure settle(
      InboundRecord r,
      MailPlanner.PlannedMail planned,
      OutgoingMail mail,
      SubmissionResult result,
      Progress p) {
    Failure failure = failure(planned, result);
    p.settled.put(planned.route(), failure);
    for (var receipt : result.receipts()) {
      if (mailLog.isInfoEnabled()) {
        mailLog.info(
            "sent event={} route={} to={} server={} reply=\"{}\" queue_id={} ({})",
            planned.eventIds(),
            planned.route(),
            receipt.accepted().isEmpty()
                ? AuditRecords.addresses(mail.recipients())
                : receipt.accepted(),
            receipt.server(),
            receipt.reply(),
            receipt.queueId().orElse("-"),
            r.position());
      }
      Instant now = clock.instant();
      audit(AuditRecords.sent(now, r, planned, mail, receipt, result.attempts()));
      observe(r, planned, now);
    }
    result
        .rejection()
        .ifPresent(
            e -> {
              log.error(
                  "rejected event={} route={} server={} reply=\"{}\" ({})",
                  planned.eventIds(),
                  planned.route(),
                  e.server(),
                  e.getMessage(),
                  r.position());
              audit(AuditRecords.rejected(clock.instant(), r, planned, mail, e, result.attempts()));
            });
    return failure;
  }

  /** Null when every recipient got the mail, else why the route failed. */
  private static Failure failure(MailPlanner.PlannedMail planned, SubmissionResult result) {
    List<RecipientResult> refused = result.allRefused();
    if (result.rejection().isEmpty() && refused.isEmpty()) {
      return null;
    }
    String why =
        refused.isEmpty()
            ? "server "
                + result.rejection().get().server()
                + " refused: "
                + result.rejection().get().getMessage()
            : "recipients refused: "
                + refused.stream()
                    .map(f -> f.address() + " (" + f.reply() + ")")
                    .collect(Collectors.joining(", "));
    return new Failure(AuditStatus.REJECTED, "route " + planned.route() + ": " + why);
  }

  /**
   * Tells the observer (metrics) of an accepted mail. Its failure is logged, never retried: the
   * mail is out, and a retry would send it again.
   */
  private void observe(InboundRecord r, MailPlanner.PlannedMail planned, Instant acceptedAt) {
    try {
      stages.observer().accepted(r, planned.eventTime(), acceptedAt);
    } catch (RuntimeException e) {
      log.error(
          "delivery observer failed for the accepted mail of event {} route {} ({}); the mail is"
              + " not sent again",
          planned.eventIds(),
          planned.route(),
          r.position(),
          e);
    }
  }

  /**
   * Appends to the audit log. A failing audit file must not cause a resend (that would flood
   * inboxes with duplicates while the disk is full), so the record goes to the error log instead.
   */
  private void audit(AuditRecord record) {
    try {
      stages.audit().append(record);
    } catch (RuntimeException e) {
      log.error(
          "cannot write audit record, logging it here instead: {} ({})",
          record.toJson(),
          e.toString());
    }
  }
}

package io.alertbridge.delivery;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.RenderException;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.RecipientResult;
import java.time.Clock;
import java.time.Duration;
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
 * Takes one record all the way: decode, route, render, submit, audit, and dead-letter what cannot
 * become accepted mail. The returned stage completes normally exactly when the record's offset may
 * be committed; it completes exceptionally only when the delivery was abandoned (cancelled, or
 * stopped by a fatal error), or with an {@link Error}.
 *
 * <p>An exception that is no delivery outcome (a bug in a template function, a library's runtime
 * exception) does not stop the partition: the record is tried again in place, and after {@code
 * delivery.max-unexpected-failures} it is dead-lettered with the exception in its headers. The
 * record remembers which routes a server already accepted (or refused for good), so a retry never
 * mails those again.
 */
public final class RecordProcessor {
  private static final Logger log = LoggerFactory.getLogger(RecordProcessor.class);
  static final Duration UNEXPECTED_RETRY_DELAY = Duration.ofSeconds(1);

  /** The stages a record passes through, in order. */
  public record Stages(
      EventDecoder decoder,
      Router router,
      MessageComposer composer,
      SubmissionRetrier retrier,
      AuditLog audit) {
    public Stages {
      Objects.requireNonNull(decoder, "decoder");
      Objects.requireNonNull(router, "router");
      Objects.requireNonNull(composer, "composer");
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
    AlertEvent event;
    try {
      event = stages.decoder().decode(r.value(), r.headerText());
    } catch (InvalidEventException e) {
      log.warn("invalid event at {}: {}", r.position(), e.getMessage());
      audit(
          AuditRecords.withoutMail(
              clock.instant(), AuditStatus.INVALID, r, null, null, List.of(), e.getMessage()));
      return deadLetters.write(
          r, new DeadLetter(AuditStatus.INVALID, e.getMessage()), cancellation);
    }
    List<Route> routes = stages.router().route(event);
    if (routes.isEmpty()) {
      String reason = "no route matched the event";
      log.warn("event {} at {}: {}", event.id(), r.position(), reason);
      audit(
          AuditRecords.withoutMail(
              clock.instant(), AuditStatus.DEAD_LETTERED, r, event.id(), null, List.of(), reason));
      return deadLetters.write(r, new DeadLetter(AuditStatus.DEAD_LETTERED, reason), cancellation);
    }
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Route route : routes) {
      chain = chain.thenCompose(v -> deliverRoute(r, event, route, p, cancellation));
    }
    return chain.thenCompose(v -> deadLetterFailures(r, p, cancellation));
  }

  /** Delivers one route unless an earlier try of this record already settled it. */
  private CompletionStage<Void> deliverRoute(
      InboundRecord r, AlertEvent event, Route route, Progress p, Cancellation cancellation) {
    if (p.settled.containsKey(route.name())) {
      return CompletableFuture.completedFuture(null);
    }
    return deliver(r, event, route, cancellation)
        .thenAccept(failure -> p.settled.put(route.name(), failure));
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
      InboundRecord r, AlertEvent event, Route route, Cancellation cancellation) {
    OutgoingMail mail;
    try {
      mail = stages.composer().compose(event, route);
    } catch (RenderException e) {
      String reason = "route " + route.name() + ": " + e.getMessage();
      log.error("event {} at {}: {}", event.id(), r.position(), reason);
      audit(
          AuditRecords.withoutMail(
              clock.instant(),
              AuditStatus.DEAD_LETTERED,
              r,
              event.id(),
              route.name(),
              AuditRecords.addresses(route.recipients()),
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
                  event.id(),
                  route.name(),
                  e.server(),
                  mail.messageId(),
                  e.getMessage(),
                  r.position());
              audit(AuditRecords.uncertain(clock.instant(), r, event.id(), route, mail, e));
            })
        .thenApply(result -> settle(r, event, route, mail, result));
  }

  /**
   * Audits each accepted transaction and the refusals. The route fails (and the record is
   * dead-lettered, naming them) when any recipient was refused for good, even if the others got the
   * mail: a departed engineer's 550 must reach an operator, not only the audit log.
   */
  private Failure settle(
      InboundRecord r, AlertEvent event, Route route, OutgoingMail mail, SubmissionResult result) {
    for (var receipt : result.receipts()) {
      log.info(
          "sent event={} route={} to={} server={} reply=\"{}\" queue_id={} ({})",
          event.id(),
          route.name(),
          receipt.accepted().isEmpty()
              ? AuditRecords.addresses(mail.recipients())
              : receipt.accepted(),
          receipt.server(),
          receipt.reply(),
          receipt.queueId().orElse("-"),
          r.position());
      audit(
          AuditRecords.sent(
              clock.instant(), r, event.id(), route, mail, receipt, result.attempts()));
    }
    result
        .rejection()
        .ifPresent(
            e -> {
              log.error(
                  "rejected event={} route={} server={} reply=\"{}\" ({})",
                  event.id(),
                  route.name(),
                  e.server(),
                  e.getMessage(),
                  r.position());
              audit(
                  AuditRecords.rejected(
                      clock.instant(), r, event.id(), route, mail, e, result.attempts()));
            });
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
    return new Failure(AuditStatus.REJECTED, "route " + route.name() + ": " + why);
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

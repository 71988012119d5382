package io.alertbridge.delivery;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.audit.JsonLinesAuditLog;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.RenderException;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.SmtpSubmissionException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one record all the way: decode, route, render, submit, audit, and dead-letter what cannot
 * become accepted mail. The returned stage completes normally exactly when the record's offset may
 * be committed; it completes exceptionally only when the delivery was abandoned (cancelled).
 */
public final class RecordProcessor {
  private static final Logger log = LoggerFactory.getLogger(RecordProcessor.class);

  private final EventDecoder decoder;
  private final Router router;
  private final MessageComposer composer;
  private final SubmissionRetrier retrier;
  private final DeadLetterSink deadLetters;
  private final AuditLog audit;
  private final ScheduledExecutorService scheduler;
  private final Duration deadLetterRetryDelay;
  private final Clock clock;

  public RecordProcessor(
      EventDecoder decoder,
      Router router,
      MessageComposer composer,
      SubmissionRetrier retrier,
      DeadLetterSink deadLetters,
      AuditLog audit,
      ScheduledExecutorService scheduler,
      Duration deadLetterRetryDelay,
      Clock clock) {
    this.decoder = decoder;
    this.router = router;
    this.composer = composer;
    this.retrier = retrier;
    this.deadLetters = deadLetters;
    this.audit = audit;
    this.scheduler = scheduler;
    this.deadLetterRetryDelay = deadLetterRetryDelay;
    this.clock = clock;
  }

  /** A route's delivery that did not end in accepted mail, and why. */
  private record Failure(AuditStatus status, String reason) {}

  public CompletionStage<Void> process(InboundRecord r, Cancellation cancellation) {
    AlertEvent event;
    try {
      event = decoder.decode(r.value(), r.headerText());
    } catch (InvalidEventException e) {
      log.warn("invalid event at {}: {}", r.position(), e.getMessage());
      audit(
          AuditRecords.withoutMail(
              clock.instant(), AuditStatus.INVALID, r, null, null, List.of(), e.getMessage()));
      return deadLetter(r, new DeadLetter(AuditStatus.INVALID, e.getMessage()), cancellation);
    }
    List<Route> routes = router.route(event);
    if (routes.isEmpty()) {
      String reason = "no route matched the event";
      log.warn("event {} at {}: {}", event.id(), r.position(), reason);
      audit(
          AuditRecords.withoutMail(
              clock.instant(), AuditStatus.DEAD_LETTERED, r, event.id(), null, List.of(), reason));
      return deadLetter(r, new DeadLetter(AuditStatus.DEAD_LETTERED, reason), cancellation);
    }
    CompletionStage<List<Failure>> chain = CompletableFuture.completedFuture(new ArrayList<>());
    for (Route route : routes) {
      chain =
          chain.thenCompose(
              failures ->
                  deliver(r, event, route, cancellation)
                      .thenApply(
                          f -> {
                            if (f != null) {
                              failures.add(f);
                            }
                            return failures;
                          }));
    }
    return chain.thenCompose(
        failures -> {
          if (failures.isEmpty()) {
            return CompletableFuture.completedFuture(null);
          }
          AuditStatus status =
              failures.stream().anyMatch(f -> f.status() == AuditStatus.REJECTED)
                  ? AuditStatus.REJECTED
                  : AuditStatus.DEAD_LETTERED;
          String reason = String.join("; ", failures.stream().map(Failure::reason).toList());
          return deadLetter(r, new DeadLetter(status, reason), cancellation);
        });
  }

  /** Completes with null when the route's mail was accepted, else with the failure. */
  private CompletionStage<Failure> deliver(
      InboundRecord r, AlertEvent event, Route route, Cancellation cancellation) {
    OutgoingMail mail;
    try {
      mail = composer.compose(event, route);
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
    return retrier
        .submit(mail, cancellation)
        .thenApply(
            result -> {
              if (result.receipt().isPresent()) {
                var receipt = result.receipt().get();
                log.info(
                    "sent event={} route={} to={} server={} reply=\"{}\" queue_id={} ({})",
                    event.id(),
                    route.name(),
                    AuditRecords.addresses(route.recipients()),
                    receipt.server(),
                    receipt.reply(),
                    receipt.queueId().orElse("-"),
                    r.position());
                audit(
                    AuditRecords.sent(
                        clock.instant(), r, event.id(), route, receipt, result.attempts()));
                return null;
              }
              SmtpSubmissionException e = result.rejection().orElseThrow();
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
              return new Failure(
                  AuditStatus.REJECTED,
                  "route "
                      + route.name()
                      + ": server "
                      + e.server()
                      + " refused: "
                      + e.getMessage());
            });
  }

  /** Writes to the dead-letter topic, retrying until acknowledged: only then may we commit. */
  private CompletionStage<Void> deadLetter(
      InboundRecord r, DeadLetter dl, Cancellation cancellation) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    publish(r, dl, cancellation, done);
    return done;
  }

  private void publish(
      InboundRecord r, DeadLetter dl, Cancellation cancellation, CompletableFuture<Void> done) {
    if (cancellation.isCancelled()) {
      done.completeExceptionally(
          new Cancellation.AbandonedException("dead-letter of " + r.position()));
      return;
    }
    deadLetters
        .publish(r, dl)
        .whenComplete(
            (v, error) -> {
              if (error == null) {
                log.info(
                    "dead-lettered {} ({}): {}", r.position(), dl.status().wireName(), dl.reason());
                done.complete(null);
                return;
              }
              log.error(
                  "cannot write {} to the dead-letter topic, retrying in {}: {}",
                  r.position(),
                  deadLetterRetryDelay,
                  SubmissionRetrier.unwrap(error).toString());
              scheduler.schedule(
                  () -> publish(r, dl, cancellation, done),
                  deadLetterRetryDelay.toMillis(),
                  TimeUnit.MILLISECONDS);
            });
  }

  /**
   * Appends to the audit log. A failing audit file must not cause a resend (that would flood
   * inboxes with duplicates while the disk is full), so the record goes to the error log instead.
   */
  private void audit(AuditRecord record) {
    try {
      audit.append(record);
    } catch (RuntimeException e) {
      log.error(
          "cannot write audit record, logging it here instead: {} ({})",
          JsonLinesAuditLog.toJson(record),
          e.toString());
    }
  }
}

package io.alertbridge.delivery;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.config.RetrySettings;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpReply;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The real record pipeline (decoder, router, templates, retrier) between a mail server and a
 * dead-letter topic that answer from a script, so unit tests make failures happen exactly where
 * they say. Records what was sent, audited, dead-lettered and reported as fatal.
 */
public final class ScriptedPipeline implements AutoCloseable {
  public final ExecutorService workers = Executors.newFixedThreadPool(2);
  public final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  public final List<AuditRecord> audited = new CopyOnWriteArrayList<>();
  public final List<String> sent = new CopyOnWriteArrayList<>();
  public final List<DeadLetter> deadLettered = new CopyOnWriteArrayList<>();
  public final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  public final AlertbridgeConfig config;

  /** What the server does with each mail; accepts by default. */
  public volatile Function<OutgoingMail, Receipt> server = this::accept;

  /** Told of every accepted mail, as the metrics are; does nothing by default. */
  public volatile DeliveryObserver observer = DeliveryObserver.NONE;

  /** The direct path's delivery.max-event-age; zero (no limit) by default. */
  public volatile Duration maxEventAge = Duration.ZERO;

  /** What a dead-letter write does; acknowledged by default. */
  public volatile Function<DeadLetter, CompletionStage<Void>> dlq =
      dl -> CompletableFuture.completedFuture(null);

  public ScriptedPipeline(Path dir, String yaml) throws Exception {
    config = new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  public Receipt accept(OutgoingMail m) {
    sent.add(m.messageId());
    return Receipt.of(m.messageId(), "sink:25", SmtpReply.parse("250 2.0.0 Ok: queued as Q1"));
  }

  public FatalErrorHandler fatalHandler() {
    return (what, cause) -> fatal.add(cause);
  }

  public RecordProcessor processor(int maxUnexpected, Duration deadLetterBackoff) throws Exception {
    return processor(
        maxUnexpected,
        deadLetterBackoff,
        new DirectPlanner(
            new EventDecoder(1 << 20),
            Router.of(config),
            new MessageComposer(
                Templates.compile(config.templates()),
                config.smtp().from(),
                config.smtp().envelopeSender(),
                1 << 20,
                Clock.systemUTC()),
            maxEventAge,
            Clock.systemUTC()));
  }

  /** The same, with another planner (the policy stage's notifications). */
  public RecordProcessor processor(
      int maxUnexpected, Duration deadLetterBackoff, MailPlanner planner) {
    MailSubmitter submitter =
        new MailSubmitter() {
          @Override
          public Receipt submit(OutgoingMail mail) {
            return server.apply(mail);
          }

          @Override
          public void close() {}
        };
    DeadLetterSink sink =
        new DeadLetterSink() {
          @Override
          public CompletionStage<Void> publish(InboundRecord r, DeadLetter d) {
            return dlq.apply(d).thenRun(() -> deadLettered.add(d));
          }

          @Override
          public void close() {}
        };
    AuditLog audit =
        new AuditLog() {
          @Override
          public void append(AuditRecord r) {
            audited.add(r);
          }

          @Override
          public void close() {}
        };
    Timer timer = new Timer(scheduler);
    return new RecordProcessor(
        new RecordProcessor.Stages(
            planner,
            new SubmissionRetrier(
                submitter,
                workers,
                timer,
                new RetrySettings(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(5))),
            audit,
            (record, eventTime, acceptedAt) -> observer.accepted(record, eventTime, acceptedAt)),
        sink,
        timer,
        new RecordProcessor.FailurePolicy(deadLetterBackoff, maxUnexpected),
        fatalHandler(),
        Clock.systemUTC());
  }

  @Override
  public void close() {
    workers.shutdownNow();
    scheduler.shutdownNow();
  }
}

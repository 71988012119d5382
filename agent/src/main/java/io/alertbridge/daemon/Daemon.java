package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.JsonLinesAuditLog;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.delivery.DeadLetterSink;
import io.alertbridge.delivery.RecordProcessor;
import io.alertbridge.delivery.SubmissionRetrier;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.SmtpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the stages for a validated configuration and runs the consumer until {@link #stop()}. The
 * daemon owns every thread and client it creates and closes them in dependency order.
 */
public final class Daemon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  private final AlertbridgeConfig config;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final MailSubmitter smtp;
  private final DeadLetterSink deadLetters;
  private final AuditLog audit;
  private final AlertConsumer consumer;

  /**
   * @param auditDecorator wraps the audit log (the demo prints each line); identity otherwise
   */
  public Daemon(AlertbridgeConfig config, Clock clock, UnaryOperator<AuditLog> auditDecorator)
      throws ConfigException {
    this.config = config;
    Templates templates = Templates.compile(config.templates());
    Router router = Router.of(config);
    MessageComposer composer =
        new MessageComposer(templates, config.smtp().from(), config.smtp().envelopeSender(), clock);
    this.workers = Executors.newFixedThreadPool(config.smtp().connections() + 1, named("delivery"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(named("retry-timer"));
    this.smtp = new SmtpClient(config.smtp(), clock);
    this.audit = auditDecorator.apply(openAudit(Path.of(config.audit().file())));
    this.deadLetters = new KafkaDeadLetterSink(config.kafka(), clock);
    SubmissionRetrier retrier =
        new SubmissionRetrier(smtp, workers, scheduler, config.smtp().retry());
    RecordProcessor processor =
        new RecordProcessor(
            new EventDecoder(config.kafka().maxEventSize().bytes()),
            router,
            composer,
            retrier,
            deadLetters,
            audit,
            scheduler,
            config.smtp().retry().maxBackoff(),
            clock);
    this.consumer = new AlertConsumer(config.kafka(), config.delivery(), processor, workers);
  }

  private static AuditLog openAudit(Path file) throws ConfigException {
    try {
      return new JsonLinesAuditLog(file);
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException(
          "audit.file",
          '"' + file.toString() + '"',
          "must be a file alertbridge can create and append to: " + e);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "alertbridge-" + prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Consumes and delivers on the calling thread until {@link #stop()}. */
  public void run() {
    log.info(
        "alertbridge started: {} route(s), SMTP {}, audit {}",
        config.routes().size(),
        config.smtp().servers().get(0),
        config.audit().file());
    consumer.run();
  }

  /** Stops polling and waits for the consumer to commit and close; safe from any thread. */
  public void stop() {
    consumer.stop();
    try {
      Duration wait = config.delivery().shutdownTimeout().plusSeconds(15);
      if (!consumer.awaitStopped(wait)) {
        log.warn("consumer did not stop within {}", wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadLetters.close();
    smtp.close();
    audit.close();
    log.info("alertbridge stopped");
  }
}

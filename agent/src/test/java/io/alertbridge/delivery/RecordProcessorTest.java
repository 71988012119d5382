package io.alertbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.config.RetrySettings;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.EventDecoderTestData;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record's way through real stages (decoder, router, templates, retrier), with a submitter and
 * a dead-letter sink that answer from a script, so failures happen exactly where the test says.
 */
class RecordProcessorTest {
  /** Both routes match a critical engine-room event: a record with two mails. */
  private static final String TWO_ROUTES =
      ConfigFixtures.VALID.replace(
          "template: overtemp\n", "template: overtemp\n    continue: true\n");

  @TempDir Path dir;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<AuditRecord> audited = new CopyOnWriteArrayList<>();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<DeadLetter> deadLettered = new CopyOnWriteArrayList<>();
  private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
  private AlertbridgeConfig config;

  /** Decides, per mail (by route name in its Message-ID), what the server does. */
  private volatile Function<OutgoingMail, Receipt> server = this::accept;

  /** Decides what a dead-letter write does. */
  private volatile Function<DeadLetter, CompletionStage<Void>> dlq =
      dl -> CompletableFuture.completedFuture(null);

  @BeforeEach
  void load() throws Exception {
    config = new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, TWO_ROUTES));
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
    scheduler.shutdownNow();
  }

  private Receipt accept(OutgoingMail m) {
    sent.add(m.messageId());
    return Receipt.of(m.messageId(), "sink:25", SmtpReply.parse("250 2.0.0 Ok: queued as Q1"));
  }

  private RecordProcessor processor(int maxUnexpected) throws Exception {
    return processor(maxUnexpected, Duration.ofMillis(20));
  }

  private RecordProcessor processor(int maxUnexpected, Duration deadLetterBackoff)
      throws Exception {
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
            CompletionStage<Void> s = dlq.apply(d);
            return s.thenRun(() -> deadLettered.add(d));
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
            new EventDecoder(1 << 20),
            Router.of(config),
            new MessageComposer(
                Templates.compile(config.templates()),
                config.smtp().from(),
                config.smtp().envelopeSender(),
                1 << 20,
                Clock.systemUTC()),
            new SubmissionRetrier(
                submitter,
                workers,
                timer,
                new RetrySettings(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(5))),
            audit),
        sink,
        timer,
        new RecordProcessor.FailurePolicy(deadLetterBackoff, maxUnexpected),
        (what, cause) -> fatal.add(cause),
        Clock.systemUTC());
  }

  private static InboundRecord record(String json) {
    return new InboundRecord(
        "alerts", 0, 7, null, json.getBytes(StandardCharsets.UTF_8), List.of());
  }

  private static void await(CompletionStage<Void> s) throws Exception {
    s.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aRetryAfterAnUnexpectedFailureNeverMailsAnAcceptedRouteAgain() throws Exception {
    // The default route mails ops@; its first attempt hits a bug, after engine-critical was sent.
    List<String> failOnce =
        Collections.synchronizedList(new ArrayList<>(List.of("ops@plant.example")));
    server =
        m -> {
          if (failOnce.remove(m.recipients().get(0).getAddress())) {
            throw new IllegalStateException("a bug in a library");
          }
          return accept(m);
        };
    await(processor(3).process(record(EventDecoderTestData.OVERTEMP), new Cancellation()));
    assertThat(sent).hasSize(2).doesNotHaveDuplicates();
    assertThat(audited).extracting(AuditRecord::status).containsOnly(AuditStatus.SENT);
    assertThat(audited)
        .extracting(AuditRecord::route)
        .containsExactly("engine-critical", "default");
    assertThat(deadLettered).isEmpty();
  }

  @Test
  void afterMaxUnexpectedFailuresTheRecordIsDeadLetteredWithTheException() throws Exception {
    server =
        m -> {
          throw new IllegalStateException("always broken");
        };
    await(processor(3).process(record(EventDecoderTestData.OVERTEMP), new Cancellation()));
    assertThat(deadLettered).hasSize(1);
    DeadLetter dl = deadLettered.get(0);
    assertThat(dl.status()).isEqualTo(AuditStatus.DEAD_LETTERED);
    assertThat(dl.reason())
        .startsWith("unexpected failure 3 times (delivery.max-unexpected-failures)")
        .contains("always broken");
    assertThat(dl.exception().orElseThrow())
        .startsWith("java.lang.IllegalStateException: always broken")
        .contains("\tat ");
    assertThat(audited)
        .singleElement()
        .satisfies(a -> assertThat(a.status()).isEqualTo(AuditStatus.DEAD_LETTERED));
  }

  @Test
  void anErrorIsNotSwallowed() throws Exception {
    server =
        m -> {
          throw new OutOfMemoryError("simulated");
        };
    CompletableFuture<Void> f =
        processor(3)
            .process(record(EventDecoderTestData.OVERTEMP), new Cancellation())
            .toCompletableFuture();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(OutOfMemoryError.class);
    assertThat(deadLettered).isEmpty();
  }

  @Test
  void aTransientDeadLetterFailureIsRetriedUntilAcknowledged() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(2);
    dlq =
        d ->
            failuresLeft.getAndDecrement() <= 0
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(
                    new DeadLetterWriteException(false, "broker unavailable", null));
    await(processor(3).process(record("{not json"), new Cancellation()));
    assertThat(deadLettered).hasSize(1);
    assertThat(failuresLeft.get()).isNegative();
    assertThat(fatal).isEmpty();
  }

  @Test
  void aPermanentDeadLetterFailureIsFatalAndLeavesTheRecordUncommitted() throws Exception {
    dlq =
        d ->
            CompletableFuture.failedFuture(
                new DeadLetterWriteException(true, "TopicAuthorizationException", null));
    CompletableFuture<Void> f =
        processor(3).process(record("{not json"), new Cancellation()).toCompletableFuture();
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(Cancellation.AbandonedException.class);
    assertThat(fatal)
        .singleElement()
        .satisfies(t -> assertThat(t).hasMessage("TopicAuthorizationException"));
  }

  @Test
  void cancellationEndsADeadLetterBackoffAtOnce() throws Exception {
    dlq =
        d ->
            CompletableFuture.failedFuture(
                new DeadLetterWriteException(false, "broker unavailable", null));
    RecordProcessor p = processor(3, Duration.ofHours(1));
    Cancellation c = new Cancellation();
    CompletableFuture<Void> f = p.process(record("{not json"), c).toCompletableFuture();
    assertThatThrownBy(() -> f.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    long start = System.nanoTime();
    c.cancel();
    assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(Cancellation.AbandonedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aRouteWhoseMessageRendersOverTheSizeLimitIsDeadLetteredAndTheOthersSent() throws Exception {
    // 600 KiB fits kafka.max-event-size (1 MiB). The overtemp template puts it in a text and an
    // HTML part, over delivery.max-message-size (1 MiB); the plain template only once.
    String huge =
        EventDecoderTestData.OVERTEMP.replace(
            "Sensor T3 above 90 °C for 60 s", "x".repeat(600 * 1024));
    await(processor(3).process(record(huge), new Cancellation()));
    assertThat(sent).hasSize(1);
    assertThat(audited)
        .filteredOn(a -> a.status() == AuditStatus.SENT)
        .extracting(AuditRecord::route)
        .containsExactly("default");
    assertThat(deadLettered)
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.reason())
                    .startsWith("route engine-critical: template overtemp.html:")
                    .endsWith("exceeds delivery.max-message-size (1048576 bytes)"));
  }
}

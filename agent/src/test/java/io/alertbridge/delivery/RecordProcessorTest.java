package io.alertbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.event.EventDecoderTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
  private ScriptedPipeline pipeline;
  private List<AuditRecord> audited;
  private List<String> sent;
  private List<DeadLetter> deadLettered;
  private List<Throwable> fatal;

  @BeforeEach
  void load() throws Exception {
    pipeline = new ScriptedPipeline(dir, TWO_ROUTES);
    audited = pipeline.audited;
    sent = pipeline.sent;
    deadLettered = pipeline.deadLettered;
    fatal = pipeline.fatal;
  }

  @AfterEach
  void stop() {
    pipeline.close();
  }

  private RecordProcessor processor(int maxUnexpected) throws Exception {
    return pipeline.processor(maxUnexpected, Duration.ofMillis(20));
  }

  private RecordProcessor processor(int maxUnexpected, Duration deadLetterBackoff)
      throws Exception {
    return pipeline.processor(maxUnexpected, deadLetterBackoff);
  }

  private static InboundRecord record(String json) {
    return new InboundRecord(
        "alerts", 0, 7, null, json.getBytes(StandardCharsets.UTF_8), List.of(), 0L);
  }

  private static void await(CompletionStage<Void> s) throws Exception {
    s.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aRetryAfterAnUnexpectedFailureNeverMailsAnAcceptedRouteAgain() throws Exception {
    // The default route mails ops@; its first attempt hits a bug, after engine-critical was sent.
    List<String> failOnce =
        Collections.synchronizedList(new ArrayList<>(List.of("ops@plant.example")));
    pipeline.server =
        m -> {
          if (failOnce.remove(m.recipients().get(0).getAddress())) {
            throw new IllegalStateException("a bug in a library");
          }
          return pipeline.accept(m);
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
    pipeline.server =
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
    pipeline.server =
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
    pipeline.dlq =
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
    pipeline.dlq =
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
    pipeline.dlq =
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

  @Test
  void anObserverFailingAfterTheServersAcceptanceNeverMakesTheMailGoOutAgain() throws Exception {
    try (ScriptedPipeline oneRoute = new ScriptedPipeline(dir, ConfigFixtures.VALID)) {
      AtomicInteger observed = new AtomicInteger();
      oneRoute.observer =
          (rec, eventTime, acceptedAt) -> {
            observed.incrementAndGet();
            throw new ArithmeticException("long overflow");
          };
      await(
          oneRoute
              .processor(3, Duration.ofMillis(20))
              .process(record(EventDecoderTestData.OVERTEMP), new Cancellation()));
      assertThat(oneRoute.sent).hasSize(1);
      assertThat(oneRoute.audited)
          .singleElement()
          .satisfies(a -> assertThat(a.status()).isEqualTo(AuditStatus.SENT));
      assertThat(oneRoute.deadLettered).isEmpty();
      assertThat(oneRoute.fatal).isEmpty();
      assertThat(observed).hasValue(1);
    }
  }

  @Test
  void anEventOlderThanMaxEventAgeIsAuditedSuppressedStalePerRouteAndNotMailed() throws Exception {
    pipeline.maxEventAge = Duration.ofHours(1);
    String old =
        EventDecoderTestData.OVERTEMP.replace("2026-11-28T13:05:00Z", "2000-01-01T00:00:00Z");
    await(processor(3).process(record(old), new Cancellation()));
    assertThat(sent).isEmpty();
    assertThat(deadLettered).isEmpty();
    assertThat(audited)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(AuditStatus.SUPPRESSED);
              assertThat(a.reason()).isEqualTo("stale");
              assertThat(a.eventId()).isEqualTo("0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a42");
            })
        .extracting(AuditRecord::route)
        .containsExactly("engine-critical", "default");
  }

  @Test
  void anEventWithinMaxEventAgeIsMailed() throws Exception {
    pipeline.maxEventAge = Duration.ofHours(1);
    String fresh =
        EventDecoderTestData.OVERTEMP.replace(
            "2026-11-28T13:05:00Z", java.time.Instant.now().minusSeconds(60).toString());
    await(processor(3).process(record(fresh), new Cancellation()));
    assertThat(sent).hasSize(2);
    assertThat(audited).extracting(AuditRecord::status).containsOnly(AuditStatus.SENT);
  }
}

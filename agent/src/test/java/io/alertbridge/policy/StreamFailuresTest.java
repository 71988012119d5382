package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ManualClock;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.ProcessingHandlerResponse;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.ProductionExceptionHandlerResponse;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The Streams exception handlers never answer FAIL for a record's fault: they dead-letter it
 * (truncated when large) with its audit line, and answer FAIL only when that write failed.
 */
class StreamFailuresTest {
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final PolicyTopology.Wiring wiring =
      new PolicyTopology.Wiring(
          null,
          LiveRules.fixed(null, Map.of()),
          new ManualClock(Instant.parse("2026-11-30T10:00:00Z")),
          List.of("alerts"),
          "alerts.dlq",
          "state",
          Duration.ofHours(1),
          Duration.ofMinutes(10),
          null,
          "plant.example",
          Duration.ofMinutes(5),
          PolicyObserver.NONE,
          PolicyOperators.none(),
          null);
  private final Map<String, Object> config =
      Map.of(StreamFailures.CONFIG_KEY, new StreamFailures(wiring, producer));

  private static ErrorHandlerContext input(String topic, byte[] value) {
    return new ErrorHandlerContext() {
      public String topic() {
        return topic;
      }

      public int partition() {
        return 3;
      }

      public long offset() {
        return 17;
      }

      public Headers headers() {
        return new RecordHeaders();
      }

      public String processorNodeId() {
        return "route";
      }

      public TaskId taskId() {
        return new TaskId(0, 3);
      }

      public long timestamp() {
        return 0;
      }

      public byte[] sourceRawKey() {
        return null;
      }

      public byte[] sourceRawValue() {
        return value;
      }
    };
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aRecordTheProducerRefusesDeadLettersItsInputTruncatedWithItsAuditLineAndContinues() {
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(config);
    byte[] big = new byte[2_000_000];
    Arrays.fill(big, (byte) 'x');
    ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("alerts.dlq", big);

    var answer =
        handler.handle(input("alerts", big), refused, new RecordTooLargeException("too large"));

    assertThat(answer).isEqualTo(ProductionExceptionHandlerResponse.CONTINUE);
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent)
        .extracting(ProducerRecord::topic)
        .containsExactly("alerts.dlq", "state-notifications");
    ProducerRecord<byte[], byte[]> copy = sent.get(0);
    assertThat(copy.value()).hasSize(16 * 1024);
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("17");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_PARTITION)).isEqualTo("3");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_REASON))
        .startsWith("cannot write to alerts.dlq: ")
        .contains("too large");
    ProducerRecord<byte[], byte[]> line = sent.get(1);
    assertThat(header(line, StageRecords.KIND_HEADER)).isEqualTo(StageRecords.AUDIT);
    AuditRecord audit = AuditRecord.fromJson(new String(line.value(), StandardCharsets.UTF_8));
    assertThat(audit.status()).isEqualTo(AuditStatus.DEAD_LETTERED);
    assertThat(audit.offset()).isEqualTo(17);
  }

  @Test
  void aRetriableProducerErrorIsRetried() {
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(config);
    var answer =
        handler.handle(
            input("alerts", new byte[1]),
            new ProducerRecord<>("state-events", new byte[1]),
            new NotLeaderOrFollowerException("moving"));
    assertThat(answer).isEqualTo(ProductionExceptionHandlerResponse.RETRY);
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void whenTheDeadLetterCannotBeWrittenTheAnswerIsFailSoTheRecordIsReadAgain() {
    MockProducer<byte[], byte[]> broken =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    broken.sendException = new org.apache.kafka.common.errors.AuthorizationException("denied");
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    handler.configure(Map.of(StreamFailures.CONFIG_KEY, new StreamFailures(wiring, broken)));

    var answer =
        handler.handle(input("alerts", new byte[1]), null, new IllegalStateException("a bug"));

    assertThat(answer).isEqualTo(ProcessingHandlerResponse.FAIL);
  }

  @Test
  void aProcessingFailureOfARecordIsDeadLetteredAndAPunctuationsIsCountedAndContinues() {
    StreamFailures failures = (StreamFailures) config.get(StreamFailures.CONFIG_KEY);
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    handler.configure(config);

    assertThat(handler.handle(input("alerts", new byte[1]), null, new IllegalStateException("x")))
        .isEqualTo(ProcessingHandlerResponse.CONTINUE);
    assertThat(handler.handle(input(null, null), null, new IllegalStateException("tick")))
        .isEqualTo(ProcessingHandlerResponse.CONTINUE);

    assertThat(producer.history()).hasSize(2); // one copy and its audit line
    assertThat(failures.handled()).isEqualTo(2);
  }

  @Test
  void kafkasOwnFailureIsNoRecordsFaultSoTheAnswerIsFailAndNothingIsDeadLettered() {
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    handler.configure(config);
    var sendFailed =
        new org.apache.kafka.streams.errors.StreamsException(
            "error sending to state-notifications",
            new org.apache.kafka.common.errors.TimeoutException("broker away"));

    assertThat(handler.handle(input("alerts", new byte[1]), null, sendFailed))
        .isEqualTo(ProcessingHandlerResponse.FAIL);
    assertThat(handler.handle(input(null, null), null, sendFailed))
        .as("in a punctuation too: CONTINUE would commit a mail never written")
        .isEqualTo(ProcessingHandlerResponse.FAIL);
    assertThat(producer.history()).isEmpty();
    assertThat(
            DeadLetterProcessingHandler.kafkasOwn(
                new org.apache.kafka.streams.errors.StreamsException(
                    new IllegalStateException("a bug"))))
        .as("a plain StreamsException around our own bug is still the record's")
        .isFalse();
  }
}

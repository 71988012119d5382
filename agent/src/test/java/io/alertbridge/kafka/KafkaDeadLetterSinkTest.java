package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.DeadLetterWriteException;
import io.alertbridge.delivery.InboundRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dead-letter copies and how write failures are told apart, against Kafka's MockProducer. */
class KafkaDeadLetterSinkTest {
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final KafkaDeadLetterSink sink =
      new KafkaDeadLetterSink(
          producer,
          "alerts.dlq",
          Clock.fixed(Instant.parse("2026-11-28T13:05:00Z"), ZoneOffset.UTC));

  @AfterEach
  void close() {
    sink.close();
  }

  private static InboundRecord record(int valueBytes) {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'x');
    return new InboundRecord(
        "alerts",
        2,
        41,
        "k".getBytes(StandardCharsets.UTF_8),
        value,
        List.of(Map.entry("trace", "t-1".getBytes(StandardCharsets.UTF_8))),
        0L);
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private CompletableFuture<Void> publish(InboundRecord r, DeadLetter dl) {
    return sink.publish(r, dl).toCompletableFuture();
  }

  private void awaitSends(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() >= n);
  }

  @Test
  void aCopyKeepsKeyValueAndHeadersAndSaysWhereItCameFromAndWhy() throws Exception {
    CompletableFuture<Void> acked =
        publish(
            record(10),
            DeadLetter.ofException("unexpected failure", new IllegalStateException("bug")));
    awaitSends(1);
    assertThat(acked).isNotDone();
    producer.completeNext();
    acked.get(5, TimeUnit.SECONDS);
    ProducerRecord<byte[], byte[]> copy = producer.history().get(0);
    assertThat(copy.topic()).isEqualTo("alerts.dlq");
    assertThat(copy.value()).hasSize(10);
    assertThat(header(copy, "trace")).isEqualTo("t-1");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_TOPIC)).isEqualTo("alerts");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_PARTITION)).isEqualTo("2");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("41");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_STATUS)).isEqualTo("dead-lettered");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_EXCEPTION))
        .startsWith("java.lang.IllegalStateException: bug");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_TRUNCATED)).isNull();
  }

  @Test
  void aCopyTooLargeForTheTopicIsSentAgainTruncatedAndSaysSo() throws Exception {
    CompletableFuture<Void> acked =
        publish(record(5_000_000), new DeadLetter(AuditStatus.INVALID, "too large"));
    awaitSends(1);
    producer.errorNext(new RecordTooLargeException("MESSAGE_TOO_LARGE"));
    awaitSends(2);
    producer.completeNext();
    acked.get(5, TimeUnit.SECONDS);
    ProducerRecord<byte[], byte[]> copy = producer.history().get(1);
    assertThat(copy.value()).hasSize(KafkaDeadLetterSink.TRUNCATED_VALUE_BYTES);
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_TRUNCATED)).isEqualTo("true");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_ORIGINAL_SIZE)).isEqualTo("5000000");
    assertThat(header(copy, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("41");
    assertThat(header(copy, "trace")).as("original headers are dropped").isNull();
  }

  @Test
  void notBeingAuthorisedIsPermanent() {
    CompletableFuture<Void> acked = publish(record(10), new DeadLetter(AuditStatus.INVALID, "x"));
    awaitSends(1);
    producer.errorNext(new TopicAuthorizationException("not allowed"));
    assertThatThrownBy(() -> acked.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            DeadLetterWriteException.class, e -> assertThat(e.permanent()).isTrue());
  }

  @Test
  void aTimeoutIsTransient() {
    CompletableFuture<Void> acked = publish(record(10), new DeadLetter(AuditStatus.INVALID, "x"));
    awaitSends(1);
    producer.errorNext(new TimeoutException("expired"));
    assertThatThrownBy(() -> acked.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            DeadLetterWriteException.class, e -> assertThat(e.permanent()).isFalse());
  }

  @Test
  void aTruncatedCopyThatIsStillTooLargeIsPermanent() {
    CompletableFuture<Void> acked =
        publish(record(100_000), new DeadLetter(AuditStatus.INVALID, "x"));
    awaitSends(1);
    producer.errorNext(new RecordTooLargeException("MESSAGE_TOO_LARGE"));
    awaitSends(2);
    producer.errorNext(new RecordTooLargeException("MESSAGE_TOO_LARGE"));
    assertThatThrownBy(() -> acked.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            DeadLetterWriteException.class, e -> assertThat(e.permanent()).isTrue());
    assertThat(producer.history()).hasSize(2);
  }
}

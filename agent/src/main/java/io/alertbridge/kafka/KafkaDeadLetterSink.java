package io.alertbridge.kafka;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.DeadLetterSink;
import io.alertbridge.delivery.InboundRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Copies a record to the dead-letter topic: same key, same value, its original headers, plus {@code
 * alertbridge.*} headers saying where it came from and why it is here.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {
  public static final String HEADER_TOPIC = "alertbridge.original.topic";
  public static final String HEADER_PARTITION = "alertbridge.original.partition";
  public static final String HEADER_OFFSET = "alertbridge.original.offset";
  public static final String HEADER_STATUS = "alertbridge.error.status";
  public static final String HEADER_REASON = "alertbridge.error.reason";
  public static final String HEADER_TIME = "alertbridge.error.time";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;

  public KafkaDeadLetterSink(KafkaSettings settings, Clock clock) {
    this.producer = new KafkaProducer<>(KafkaClients.producer(settings));
    this.topic = settings.deadLetterTopic();
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> publish(InboundRecord r, DeadLetter dl) {
    RecordHeaders headers = new RecordHeaders();
    for (Map.Entry<String, byte[]> h : r.headers()) {
      headers.add(h.getKey(), h.getValue());
    }
    headers.add(HEADER_TOPIC, utf8(r.topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(r.partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(r.offset())));
    headers.add(HEADER_STATUS, utf8(dl.status().wireName()));
    headers.add(HEADER_REASON, utf8(dl.reason()));
    headers.add(HEADER_TIME, utf8(clock.instant().toString()));
    CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(topic, null, r.key(), r.value(), headers),
          (metadata, error) -> {
            if (error == null) {
              acked.complete(null);
            } else {
              acked.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}

package io.alertbridge.policy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash counts in a small compacted topic ({@code STATE-crashes}), one record per input
 * partition: {@code "offset deaths"}. Kafka, not a local file, so they survive a new pod.
 */
final class KafkaCrashStore implements CrashGuard.Store {
  private static final Logger log = LoggerFactory.getLogger(KafkaCrashStore.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> consumerConfig;
  private final Producer<byte[], byte[]> producer;
  private final String topic;

  KafkaCrashStore(Map<String, Object> common, Producer<byte[], byte[]> producer, String topic) {
    this.consumerConfig = new HashMap<>(common);
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "alertbridge-crash-records");
    this.producer = producer;
    this.topic = topic;
  }

  @Override
  public Map<String, CrashGuard.Crash> readAll() {
    Map<String, CrashGuard.Crash> all = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig)) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(tp -> c.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read " + topic + " within " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            all.remove(key);
          } else {
            parse(key, new String(r.value(), StandardCharsets.UTF_8))
                .ifPresent(crash -> all.put(key, crash));
          }
        }
      }
    }
    return all;
  }

  @Override
  public void write(String partitionKey, CrashGuard.Crash crash) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic,
                  partitionKey.getBytes(StandardCharsets.UTF_8),
                  (crash.offset() + " " + crash.deaths()).getBytes(StandardCharsets.UTF_8)))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + topic + ": " + e, e);
    }
  }

  /** A record this class did not write is skipped: the guard is a help, not a gate. */
  private static Optional<CrashGuard.Crash> parse(String key, String value) {
    String[] parts = value.trim().split(" ");
    try {
      return Optional.of(
          new CrashGuard.Crash(Long.parseLong(parts[0]), Integer.parseInt(parts[1])));
    } catch (RuntimeException e) {
      log.warn("ignoring crash record {}={}: {}", key, value, e.toString());
      return Optional.empty();
    }
  }
}

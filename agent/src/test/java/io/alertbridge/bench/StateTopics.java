package io.alertbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The largest record on each of the policy's topics: every topic whose name starts with {@code
 * policy.state-topic} (its own topics and Kafka Streams' changelogs and repartition topics, however
 * a version names them), read from the beginning as delivery reads them ({@code read_committed}).
 * Issue 16 wants every state value bounded; this is the black-box view of that bound.
 */
final class StateTopics {
  /** One topic: committed records, and the largest key plus value in bytes. */
  record Largest(String topic, long records, long maxBytes) {}

  private StateTopics() {}

  static List<Largest> largest(String bootstrap, String prefix)
      throws ExecutionException, InterruptedException {
    List<String> topics;
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(prefix))
              .sorted()
              .toList();
    }
    List<Largest> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "isolation.level",
                "read_committed",
                "enable.auto.commit",
                "false",
                "max.partition.fetch.bytes",
                16 << 20,
                "fetch.max.bytes",
                64 << 20,
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
      for (String topic : topics) {
        out.add(read(c, topic));
      }
    }
    return out;
  }

  private static Largest read(KafkaConsumer<byte[], byte[]> c, String topic) {
    List<TopicPartition> parts = new ArrayList<>();
    for (PartitionInfo p : c.partitionsFor(topic)) {
      parts.add(new TopicPartition(topic, p.partition()));
    }
    c.assign(parts);
    c.seekToBeginning(parts);
    Map<TopicPartition, Long> end = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    end.putAll(c.endOffsets(parts));
    long records = 0;
    long max = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!caughtUp(c, end) && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
        records++;
        long bytes =
            (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        max = Math.max(max, bytes);
      }
    }
    return new Largest(topic, records, max);
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** A Markdown table of {@code largest}. */
  static String table(List<Largest> largest) {
    StringBuilder t = new StringBuilder("| topic | records | largest record (key + value) |\n");
    t.append("|---|---|---|\n");
    for (Largest l : largest) {
      t.append("| %s | %d | %,d bytes |%n".formatted(l.topic(), l.records(), l.maxBytes()));
    }
    return t.toString();
  }
}

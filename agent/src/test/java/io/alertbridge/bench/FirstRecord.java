package io.alertbridge.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What Kafka's console consumer does before its first record, in a JVM of its own: a new group,
 * subscribe, poll from the earliest offset. Prints the milliseconds from JVM start to the first
 * record. The yardstick of {@link ColdStartBenchmark}.
 */
public final class FirstRecord {
  private FirstRecord() {}

  public static void main(String[] args) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                args[0],
                "group.id",
                "first-record-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
      c.subscribe(List.of(args[1]));
      while (c.poll(Duration.ofMillis(100)).isEmpty()) {
        // waiting for the group and the first fetch
      }
      long started = ManagementFactory.getRuntimeMXBean().getStartTime();
      System.out.println("FIRST " + (System.currentTimeMillis() - started));
    }
  }
}

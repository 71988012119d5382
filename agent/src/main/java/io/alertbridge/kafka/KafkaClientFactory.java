package io.alertbridge.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the Kafka clients, so that unit tests can hand the daemon Kafka's own {@code MockConsumer}
 * and {@code MockProducer} and drive rebalances and failures deterministically.
 */
public interface KafkaClientFactory {
  Consumer<byte[], byte[]> consumer(Map<String, Object> properties);

  Producer<byte[], byte[]> producer(Map<String, Object> properties);

  Admin admin(Map<String, Object> properties);

  /** The committed offsets of consumer groups, for {@link OffsetSeeding}; over {@link #admin}. */
  default GroupOffsets groupOffsets(Map<String, Object> properties) {
    return new AdminGroupOffsets(admin(properties), java.time.Duration.ofSeconds(30));
  }

  /** The real clients. */
  KafkaClientFactory REAL =
      new KafkaClientFactory() {
        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
          return new KafkaConsumer<>(properties);
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
          return new KafkaProducer<>(properties);
        }

        @Override
        public Admin admin(Map<String, Object> properties) {
          return Admin.create(properties);
        }
      };
}

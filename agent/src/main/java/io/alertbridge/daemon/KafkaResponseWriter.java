package io.alertbridge.daemon;

import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.ResponseWriter;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes responses to {@code STATE-responses}, each to the partition its token names: the policy
 * task that owns the incident's group reads that partition (issue 18). A write returns once the
 * broker has it, so the mailbox reader moves a mail only after its response is safe.
 */
final class KafkaResponseWriter implements ResponseWriter, AutoCloseable {
  /** A person waits on the link page, and a mail waits in the inbox: fail in seconds, retry. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  KafkaResponseWriter(KafkaSettings kafka, String topic) {
    Map<String, Object> config = KafkaClients.producer(kafka);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "alertbridge-responses");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT.toMillis());
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public void write(IncidentRef ref, Response response) throws Exception {
    int partitions = producer.partitionsFor(topic).size();
    if (ref.partition() >= partitions) {
      // A token of another deployment (or of a policy with more partitions): nobody owns it.
      throw new IllegalArgumentException(
          "the token names partition " + ref.partition() + ", " + topic + " has " + partitions);
    }
    byte[] value = Response.toJson(response);
    try {
      producer
          .send(new ProducerRecord<>(topic, ref.partition(), null, value))
          .get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.RecordTooLargeException big) {
        throw new IllegalArgumentException(
            "the response is too large for Kafka: " + big.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}

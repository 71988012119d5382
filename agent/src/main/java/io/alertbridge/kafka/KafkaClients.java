package io.alertbridge.kafka;

import io.alertbridge.config.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Client properties: the user's {@code kafka.properties}, then what alertbridge must control. */
public final class KafkaClients {
  private KafkaClients() {}

  public static Map<String, Object> common(KafkaSettings k) {
    Map<String, Object> p = new HashMap<>(k.properties());
    p.put("bootstrap.servers", k.bootstrapServers());
    return p;
  }

  public static Map<String, Object> consumer(KafkaSettings k) {
    Map<String, Object> p = common(k);
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "alertbridge-consumer");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, k.groupId());
    // Static membership, only when asked: a restarted instance takes its partitions back without
    // waiting for its predecessor's session to time out, but two instances with one id fence each
    // other, so no id is ever made up here (docs/configuration.md).
    k.staticMember().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    // Offsets are committed by hand, only once every mail of a record is accepted.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // An alert from a producer transaction that was aborted never happened: do not mail it.
    p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Bytes in, so a malformed record reaches the decoder and the dead-letter topic instead of
    // failing poll() and blocking its partition.
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  public static Map<String, Object> producer(KafkaSettings k) {
    Map<String, Object> p = common(k);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "alertbridge-dead-letter");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // send() blocks while it waits for metadata (a missing topic) or buffer space; 60 s by default.
    // It runs on the dead-letter thread, but a short bound turns a stuck write into a retried one.
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }
}

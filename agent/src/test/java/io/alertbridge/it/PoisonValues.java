package io.alertbridge.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The poison records both paths' poison tests send, and a topic large enough to carry them. */
final class PoisonValues {
  static final int TEN_MB = 10 * 1024 * 1024;

  private PoisonValues() {}

  /** An alert topic that takes 11 MB records, and its dead-letter topic at Kafka's default. */
  static void createTopics(KafkaFixture.Broker kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(TEN_MB + 1024 * 1024))),
                  new NewTopic(topic + ".dlq", 1, (short) 1)))
          .all()
          .get();
    }
  }

  /** A 10 MB JSON object of blanks: ten times kafka.max-event-size. */
  static byte[] huge() {
    byte[] huge = new byte[TEN_MB];
    Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[TEN_MB - 1] = '}';
    return huge;
  }

  /** A valid event but for one invalid UTF-8 sequence in its summary. */
  static byte[] badUtf8() {
    byte[] bad = Events.info("utf8", "Pump XX", "").getBytes(StandardCharsets.UTF_8);
    int xx = new String(bad, StandardCharsets.UTF_8).indexOf("Pump XX") + 5;
    bad[xx] = (byte) 0xC3;
    bad[xx + 1] = (byte) 0x28;
    return bad;
  }

  /** 10,000 nested arrays, past the decoder's nesting limit. */
  static byte[] deepNesting() {
    return ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
  }

  /** Produces the records with a producer that takes the 10 MB one. */
  static void produceLarge(KafkaFixture.Broker kafka, List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "acks", "all",
                "max.request.size", Integer.toString(2 * TEN_MB),
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
      for (ProducerRecord<byte[], byte[]> r : records) {
        p.send(r).get();
      }
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One poison record of each kind between good ones, on a real broker: the good ones are mailed,
 * each poison one is dead-lettered exactly once (the 10 MB one as a truncated copy, since the
 * dead-letter topic takes 1 MB), and the partition ends committed past all of them.
 */
@ExtendWith(KafkaFixture.class)
class PoisonRecordsIT {
  @TempDir Path dir;

  @Test
  void eachPoisonRecordIsDeadLetteredOnceAndTheGoodOnesAreMailed(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    PoisonValues.createTopics(kafka, topic);
    List<byte[]> poison =
        Arrays.asList(
            Events.alert("big-number", "info", "reading")
                .toString()
                .replace("98.4", "1e999999999")
                .getBytes(StandardCharsets.UTF_8),
            PoisonValues.huge(),
            PoisonValues.deepNesting(),
            PoisonValues.badUtf8(),
            null);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<Long> poisonOffsets = new ArrayList<>();
    List<String> good = new ArrayList<>();
    for (int i = 0; i < poison.size(); i++) {
      String id = "good-" + i;
      good.add(id);
      records.add(
          new ProducerRecord<>(
              topic, Events.info(id, "reading " + i, "").getBytes(StandardCharsets.UTF_8)));
      poisonOffsets.add((long) records.size());
      records.add(
          new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8), poison.get(i)));
    }
    PoisonValues.produceLarge(kafka, records);

    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d =
            RunningDaemon.start(
                kafka, dir, sink.port(), ConfigFixtures.VALID, topic, "g-" + UUID.randomUUID())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> d.committed() == records.size());
      new Delivered(sink.received()).assertEveryEventMailedWithOneMessageId(good);
      assertThat(sink.received()).hasSize(good.size());

      List<ConsumerRecord<byte[], byte[]>> dlq = d.deadLetters();
      assertThat(dlq)
          .extracting(
              r -> Long.parseLong(RunningDaemon.header(r, KafkaDeadLetterSink.HEADER_OFFSET)))
          .containsExactlyElementsOf(poisonOffsets);
      assertThat(dlq)
          .extracting(r -> RunningDaemon.header(r, KafkaDeadLetterSink.HEADER_REASON))
          .satisfiesExactly(
              r -> assertThat(r).startsWith("value 'temperature_c' is out of range"),
              r -> assertThat(r).contains("the limit (kafka.max-event-size) is 1048576"),
              r -> assertThat(r).contains("nesting depth"),
              r -> assertThat(r).contains("UTF-8"),
              r -> assertThat(r).isEqualTo("record has no value (tombstone)"));
      ConsumerRecord<byte[], byte[]> truncated = dlq.get(1);
      assertThat(RunningDaemon.header(truncated, KafkaDeadLetterSink.HEADER_TRUNCATED))
          .isEqualTo("true");
      assertThat(RunningDaemon.header(truncated, KafkaDeadLetterSink.HEADER_ORIGINAL_SIZE))
          .isEqualTo(Integer.toString(PoisonValues.TEN_MB));
      assertThat(truncated.value()).hasSize(16 * 1024);

      List<JsonNode> audit = d.audit();
      assertThat(audit).filteredOn(a -> a.get("status").asText().equals("invalid")).hasSize(5);
      assertThat(audit).filteredOn(a -> a.get("status").asText().equals("sent")).hasSize(5);
    }
  }
}

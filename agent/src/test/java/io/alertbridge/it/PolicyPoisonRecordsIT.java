package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PoisonRecordsIT} on the default path, the policy stage on (review C1): each poison record
 * between good ones is dead-lettered once (the 10 MB one truncated), audited once, the stage keeps
 * running, and the good events, the one after the last poison record included, are mailed.
 */
@ExtendWith(KafkaFixture.class)
class PolicyPoisonRecordsIT {
  @TempDir Path dir;

  @Test
  void eachPoisonRecordIsDeadLetteredOnceAndTheStageGoesOn(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = "ppoison-" + UUID.randomUUID().toString().substring(0, 8);
    PoisonValues.createTopics(kafka, topic);
    Map<String, byte[]> poison = poison();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<Long, String> poisonAt = new LinkedHashMap<>();
    List<String> good = new ArrayList<>();
    for (var p : poison.entrySet()) {
      String id = "good-" + good.size();
      good.add(id);
      records.add(PolicyRuns.record(topic, PolicyRuns.reading(id, id, "firing")));
      poisonAt.put((long) records.size(), p.getKey());
      records.add(
          new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8), p.getValue()));
    }
    good.add("good-last");
    records.add(PolicyRuns.record(topic, PolicyRuns.reading("good-last", "last", "firing")));
    PoisonValues.produceLarge(kafka, records);

    String yaml =
        PolicyRuns.config(
            """
            routes:
              - name: each
                to: [ops@plant.example]
                template: plain
                group-by: [id]
                group-wait: 0s
            """,
            "  max-event-age: 1h\n");
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d =
            RunningDaemon.start(kafka, dir, sink.port(), yaml, topic, "g-" + UUID.randomUUID())) {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  mailedIds(d.audit()).containsAll(good)
                      && DeadLetters.committed(kafka, d.deadLetterTopic).size() >= poison.size());
      assertThat(d.isRunning()).isTrue();
      // A little longer: a second copy of any line or dead letter would show now.
      Thread.sleep(3000);

      List<ConsumerRecord<byte[], byte[]>> dlq = DeadLetters.committed(kafka, d.deadLetterTopic);
      assertThat(dlq)
          .extracting(r -> Long.parseLong(header(r, KafkaDeadLetterSink.HEADER_OFFSET)))
          .as("each poison record once, in order: %s", poisonAt)
          .containsExactlyElementsOf(poisonAt.keySet());
      ConsumerRecord<byte[], byte[]> huge = dlq.get(1);
      assertThat(header(huge, KafkaDeadLetterSink.HEADER_TRUNCATED)).isEqualTo("true");
      assertThat(header(huge, KafkaDeadLetterSink.HEADER_ORIGINAL_SIZE))
          .isEqualTo(Integer.toString(PoisonValues.TEN_MB));
      assertThat(huge.value()).hasSize(16 * 1024);
      ConsumerRecord<byte[], byte[]> farFuture = dlq.get(5);
      assertThat(header(farFuture, KafkaDeadLetterSink.HEADER_STATUS))
          .as("after the decoder's range check this is invalid")
          .isIn("invalid", "dead-lettered");

      Map<Long, Integer> linesByOffset = new HashMap<>();
      for (JsonNode line : d.audit()) {
        String status = line.get("status").asText();
        if (status.equals("invalid") || status.equals("dead-lettered")) {
          linesByOffset.merge(line.get("offset").asLong(), 1, Integer::sum);
        }
      }
      Map<Long, Integer> once = new HashMap<>();
      poisonAt.keySet().forEach(o -> once.put(o, 1));
      assertThat(linesByOffset).as("one audit line per poison record").isEqualTo(once);
      assertThat(mailedIds(d.audit())).containsAll(good);
      assertThat(sink.received()).hasSize(good.size());
    }
  }

  /** Each kind of poison, named for the assertion messages. */
  private static Map<String, byte[]> poison() {
    Map<String, byte[]> p = new LinkedHashMap<>();
    p.put(
        "big number",
        PolicyRuns.reading("big-number", "n", "firing")
            .toString()
            .replace("98.4", "1e999999999")
            .getBytes(StandardCharsets.UTF_8));
    p.put("10 MB", PoisonValues.huge());
    p.put("deep nesting", PoisonValues.deepNesting());
    p.put("bad UTF-8", PoisonValues.badUtf8());
    p.put("tombstone", null);
    p.put(
        "far-future time",
        PolicyRuns.reading("far-future", "f", "firing")
            .put("time", "+300000000-01-01T00:00:00Z")
            .toString()
            .getBytes(StandardCharsets.UTF_8));
    p.put("empty", new byte[0]);
    p.put("garbage", new byte[] {(byte) 0xff, 0x00, 0x13, 0x37});
    return p;
  }

  /** Event ids of the mails the audit says were sent. */
  private static List<String> mailedIds(List<JsonNode> audit) {
    List<String> ids = new ArrayList<>();
    for (JsonNode line : audit) {
      if (line.get("status").asText().equals("sent")) {
        line.get("event_ids").forEach(id -> ids.add(id.asText()));
      }
    }
    return ids;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return RunningDaemon.header(r, key);
  }
}

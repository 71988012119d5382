package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that kills the policy stage's thread (an {@link Error}, through the test-only hook
 * {@code ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID}) cannot crash-loop it: after two deaths on it in a
 * row, counted in Kafka across a {@code kill -9} and a restart of the packaged daemon, it is
 * dead-lettered unprocessed, audited once, and the event after it is mailed.
 */
@ExtendWith(KafkaFixture.class)
class PolicyCrashGuardIT {
  private static final Pattern DEATH =
      Pattern.compile("policy stage failed \\(\\d of 3 within PT10M\\)");

  @TempDir Path dir;

  @Test
  void aRecordTheStageDiesOnTwiceIsDeadLetteredEvenAcrossARestart(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "crash-guard-" + UUID.randomUUID();
    Path audit = dir.resolve("audit.jsonl");
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
                "  max-event-age: 1h\n")
            // Static membership: the restarted daemon takes the partitions back at once.
            .replace(
                "  poll-timeout: 50ms\n",
                "  poll-timeout: 50ms\n"
                    + "  properties: {group.instance.id: crash-box-1, session.timeout.ms: \"10000\"}\n");
    Path config = ConfigFixtures.write(dir, yaml);
    try (SmtpSink sink = SmtpSink.start()) {
      Map<String, String> env =
          new HashMap<>(
              ConfigFixtures.env(kafka.bootstrapServers(), topic, group, sink.port(), audit));
      env.put("ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID", "killer");
      RunningDaemon.produce(
          kafka,
          List.of(
              PolicyRuns.record(topic, PolicyRuns.reading("killer", "k", "firing")),
              PolicyRuns.record(topic, PolicyRuns.reading("after", "a", "firing"))));

      // First run: killed as soon as the stage died once on the record.
      DaemonProcess first = DaemonProcess.run(dir.resolve("first.log"), env, config);
      try {
        await().atMost(Duration.ofSeconds(90)).until(() -> deaths(first.log()) >= 1);
      } finally {
        first.kill9();
      }

      try (DaemonProcess second = DaemonProcess.run(dir.resolve("second.log"), env, config)) {
        await().atMost(Duration.ofSeconds(120)).until(() -> mailed(audit).contains("after"));
        assertThat(second.isAlive()).isTrue();
        assertThat(deaths(first.log()) + deaths(second.log()))
            .as("two deaths in a row, then the record is dead-lettered")
            .isEqualTo(2);
        assertThat(deaths(second.log()))
            .as("the count of the first run was read back from Kafka")
            .isLessThanOrEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> dlq = DeadLetters.committed(kafka, topic + ".dlq");
        assertThat(dlq)
            .singleElement()
            .satisfies(
                r ->
                    assertThat(RunningDaemon.header(r, KafkaDeadLetterSink.HEADER_OFFSET))
                        .isEqualTo("0"))
            .satisfies(
                r ->
                    assertThat(RunningDaemon.header(r, KafkaDeadLetterSink.HEADER_REASON))
                        .isEqualTo(
                            "the policy stage died on this record 2 times in a row; it is not"
                                + " processed again"));
        assertThat(lines(audit))
            .filteredOn(l -> l.get("offset").asLong() == 0 && l.get("topic").asText().equals(topic))
            .singleElement()
            .satisfies(l -> assertThat(l.get("status").asText()).isEqualTo("dead-lettered"));
        assertThat(second.sigterm(60)).isZero();
      }
    }
  }

  private static int deaths(String log) {
    Matcher m = DEATH.matcher(log);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<JsonNode> lines(Path audit) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(audit)) {
      return out;
    }
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(audit)) {
      try {
        out.add(json.readTree(line));
      } catch (Exception cutByKill9) {
        // A line cut by kill -9 is not JSON; the log's reader drops it the same way.
      }
    }
    return out;
  }

  private static List<String> mailed(Path audit) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode l : lines(audit)) {
      if (l.get("status").asText().equals("sent")) {
        l.get("event_ids").forEach(id -> ids.add(id.asText()));
      }
    }
    return ids;
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon upgraded from a release before issue 16 drops the policy state of the old format once:
 * every alert an old group held is audited {@code suppressed}, reason {@code upgraded}, and the old
 * changelog topics are deleted before the new stage runs.
 */
@ExtendWith(KafkaFixture.class)
class PolicyUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** GroupState as the release before issue 16 wrote it (Jackson, by field). */
  private static final String OLD_GROUP =
      """
      {"key":"disk|host=db1","route":"engine","labels":{"host":"db1"},"incident":1764583200000,
       "seq":1,"threadRoot":"<g1@plant.example>","lastSent":1764583200000,"due":0,"expires":0,
       "alerts":{"fp-a":{"latest":{"id":"old-2","time":1764583300000,"source":"s","type":"disk",
         "severity":"critical","status":"firing","summary":"full","labels":{"host":"db1"},
         "values":{}},"notified":"firing",
         "pending":{"eventId":"old-2","topic":"alerts-old","partition":3,"offset":41},
         "recent":["old-1","old-2"],"firstSeen":1764583200000,"refreshed":1764583300000,
         "timedOut":false}}}
      """;

  @TempDir Path dir;

  @Test
  void theOldStoresAreAuditedOnceAsUpgradedAndTheirTopicsDeleted(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "upgrade-" + UUID.randomUUID();
    String state = group + ".state";
    String groups = state + "-groups-changelog";
    String closed = state + "-closed-changelog";
    KafkaFixture.createTopics(kafka, 1, groups, closed);
    RunningDaemon.produce(
        kafka,
        List.of(
            record(groups, "disk|host=db1", OLD_GROUP),
            record(groups, "disk|host=gone", OLD_GROUP.replace("old-", "gone-")),
            record(groups, "disk|host=gone", null)));
    String routes =
        """
        routes:
          - name: engine
            to: [ops@plant.example]
            template: plain
            group-wait: 0s
        """;

    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d =
            RunningDaemon.start(
                kafka,
                dir,
                sink.port(),
                PolicyRuns.config(routes, "  max-event-age: 1h\n"),
                topic,
                group)) {
      await().atMost(WAIT).until(() -> !upgraded(d).isEmpty());
      assertThat(upgraded(d))
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.get("status").asText()).isEqualTo("suppressed");
                assertThat(l.get("event_id").asText()).isEqualTo("old-2");
                assertThat(l.get("topic").asText()).isEqualTo("alerts-old");
                assertThat(l.get("partition").asInt()).isEqualTo(3);
                assertThat(l.get("offset").asLong()).isEqualTo(41);
                assertThat(l.get("route").asText()).isEqualTo("engine");
                assertThat(l.get("group").asText()).isEqualTo("disk|host=db1");
                assertThat(l.get("message_id").isNull()).isTrue();
              });
      await().atMost(WAIT).until(() -> !topics(kafka).contains(groups));
      assertThat(topics(kafka)).doesNotContain(groups, closed);

      // The new stage runs on: a fresh reading is audited, and the old state is not again.
      d.produce(PolicyRuns.reading("new-1", "t1", "firing").toString());
      await().atMost(WAIT).until(() -> PolicyRuns.audited(d.audit()).containsKey("new-1"));
      assertThat(upgraded(d)).hasSize(1);
    }
  }

  private static List<JsonNode> upgraded(RunningDaemon d) {
    return d.audit().stream().filter(l -> l.path("reason").asText("").equals("upgraded")).toList();
  }

  private static Set<String> topics(KafkaFixture.Broker kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listTopics().names().get();
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(
        topic,
        key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}

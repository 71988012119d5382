package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.policy.AlertSnapshot;
import io.alertbridge.policy.Fingerprints;
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
 * A daemon upgraded from a release before issue 16 migrates the policy state of the old format
 * once: an open group keeps its incident (its resolution is mailed in its old thread), a group of a
 * route that is gone is closed with an audit line per alert, and the old changelog topics are
 * deleted before the new stage runs.
 */
@ExtendWith(KafkaFixture.class)
class PolicyUpgradeIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** A reading of sensor t1, as {@link PolicyRuns#reading} makes them. */
  private static final AlertSnapshot T1 =
      new AlertSnapshot(
          "old-2",
          1764583300000L,
          "engine-room/plc-3",
          "overtemp",
          "critical",
          "firing",
          "Overtemp at t1",
          null,
          Map.of("room", "engine", "site", "ship-1", "sensor", "t1"),
          Map.of());

  /** GroupState as the release before issue 16 wrote it (Jackson, by field): mailed, firing. */
  private static String oldGroup(String route, String key, String pending) {
    return """
        {"key":"%s","route":"%s","labels":{},"incident":1764583200000,
         "seq":1,"threadRoot":"<g1@plant.example>","lastSent":%d,"due":0,"expires":0,
         "alerts":{"%s":{"latest":{"id":"old-2","time":1764583300000,"source":"engine-room/plc-3",
           "type":"overtemp","severity":"critical","status":"firing","summary":"Overtemp at t1",
           "labels":{"room":"engine","site":"ship-1","sensor":"t1"},"values":{}},
           "notified":"firing",%s
           "recent":["old-1","old-2"],"firstSeen":1764583200000,"refreshed":1764583300000,
           "timedOut":false}}}
        """
        .formatted(
            key,
            route,
            System.currentTimeMillis() - 60_000,
            Fingerprints.of(T1),
            pending == null
                ? ""
                : "\"pending\":{\"eventId\":\""
                    + pending
                    + "\",\"topic\":\"alerts-old\",\"partition\":3,\"offset\":41},");
  }

  @TempDir Path dir;

  @Test
  void anOpenIncidentOfTheOldStateIsKeptAndItsResolutionMailedInItsThread(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "upgrade-" + UUID.randomUUID();
    String state = group + ".state";
    String groups = state + "-groups-changelog";
    String closed = state + "-closed-changelog";
    KafkaFixture.createTopics(kafka, 1, groups, closed);
    String key = Fingerprints.groupKey("engine", List.of(), T1);
    String goneKey = Fingerprints.groupKey("gone", List.of(), T1);
    RunningDaemon.produce(
        kafka,
        List.of(
            record(groups, key, oldGroup("engine", key, null)),
            record(groups, goneKey, oldGroup("gone", goneKey, "gone-2")),
            record(groups, "engine:deleted", oldGroup("engine", "engine:deleted", "del-2")),
            record(groups, "engine:deleted", null)));
    String routes =
        """
        routes:
          - name: engine
            to: [ops@plant.example]
            template: overtemp
            group-wait: 0s
            group-interval: 1s
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
      // The group of a route that is gone: closed, its pending event audited once.
      await().atMost(WAIT).until(() -> !reason(d, "route-removed").isEmpty());
      assertThat(reason(d, "route-removed"))
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.get("event_id").asText()).isEqualTo("gone-2");
                assertThat(l.get("topic").asText()).isEqualTo("alerts-old");
                assertThat(l.get("offset").asLong()).isEqualTo(41);
                assertThat(l.get("group").asText()).isEqualTo(goneKey);
              });
      await().atMost(WAIT).until(() -> !topics(kafka).contains(groups));
      assertThat(topics(kafka)).doesNotContain(groups, closed);

      // The open incident: a repeat is no news, its resolution is mailed in the old thread.
      d.produce(PolicyRuns.reading("new-1", "t1", "firing").toString());
      await().atMost(WAIT).until(() -> !reason(d, "repeat").isEmpty());
      d.produce(PolicyRuns.reading("new-2", "t1", "resolved").toString());
      await().atMost(WAIT).until(() -> sink.received().size() == 1);
      jakarta.mail.internet.MimeMessage resolved = PolicyRuns.parse(sink.received().get(0));
      assertThat(resolved.getSubject()).startsWith("[RESOLVED]");
      assertThat(resolved.getHeader("In-Reply-To")[0]).isEqualTo("<g1@plant.example>");
      assertThat(reason(d, "upgraded")).isEmpty();
      assertThat(PolicyRuns.audited(d.audit())).doesNotContainKey("del-2");
    }
  }

  private static List<JsonNode> reason(RunningDaemon d, String reason) {
    return d.audit().stream().filter(l -> l.path("reason").asText("").equals(reason)).toList();
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

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.policy.AlertSnapshot;
import io.alertbridge.policy.Fingerprints;
import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' controls with two instances on a real broker (issue 17): a silence set through
 * instance A's Alertmanager API, with Debian's own {@code amtool}, silences the alerts instance B
 * handles; an inhibition holds when its source and targets are grouped on different partitions.
 */
@ExtendWith(KafkaFixture.class)
class OperatorsIT {
  private static final Path AMTOOL = Path.of("/usr/bin/amtool");
  private static final String TOKEN = "s3cret-" + UUID.randomUUID();
  private static final int PARTITIONS = 4;
  private static final List<String> TYPES =
      List.of("overtemp", "low-oil", "vibration", "bilge", "fuel", "exhaust", "coolant", "rpm");

  @TempDir Path dir;

  private String yaml(boolean api) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "alice:" + TOKEN + "\n");
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
    String y =
        PolicyRuns.config(
            """
            routes:
              - name: engine
                match: {labels: {room: engine}}
                to: [ops@plant.example]
                template: plain
                group-by: [labels.site, type]
                group-wait: 1s
                group-interval: 2s
              - name: control
                to: [ops@plant.example]
                template: plain
                group-by: [labels.site, type]
                group-wait: 1s
                group-interval: 2s
            inhibit:
              - source: ['type="plc-comms-lost"']
                target: ['labels.room="engine"']
                equal: [labels.site]
            """,
            "  max-event-age: 1h\n");
    return api ? y + "http:\n  listen: 127.0.0.1:0\n  auth: {tokens-file: " + tokens + "}\n" : y;
  }

  private static ObjectNode alarm(String id, String type, String site, String room, String status) {
    ObjectNode e = PolicyRuns.reading(id, type, status);
    e.put("type", type);
    e.putObject("labels").put("room", room).put("site", site).put("sensor", type);
    return e;
  }

  private String amtool(String url, String... args) throws Exception {
    if (!Files.isExecutable(AMTOOL)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have /usr/bin/amtool");
      Assumptions.abort("needs apt-get install prometheus-alertmanager (for amtool)");
    }
    Path http = dir.resolve("amtool-http.yml");
    Files.writeString(http, "authorization:\n  credentials: " + TOKEN + "\n");
    List<String> cmd = new ArrayList<>(List.of(AMTOOL.toString(), "--alertmanager.url=" + url));
    cmd.add("--http.config.file=" + http);
    cmd.addAll(List.of(args));
    // amtool warns on stderr that its version differs from ours; stdout holds the answer.
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("amtool.err").toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out + Files.readString(dir.resolve("amtool.err"))).isZero();
    return out.strip();
  }

  private static List<JsonNode> lines(RunningDaemon a, RunningDaemon b, String status) {
    List<JsonNode> all = new ArrayList<>(a.audit());
    all.addAll(b.audit());
    return all.stream().filter(l -> status.equals(l.path("status").asText())).toList();
  }

  private static List<JsonNode> suppressed(List<JsonNode> lines, String reason) {
    return lines.stream().filter(l -> reason.equals(l.path("reason").asText())).toList();
  }

  @Test
  void aSilenceAddedWithAmtoolThroughOneInstanceSilencesTheOther(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, PARTITIONS);
    String group = "operators-" + UUID.randomUUID();
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon a =
            RunningDaemon.start(kafka, dir.resolve("a"), sink.port(), yaml(true), topic, group);
        RunningDaemon b =
            RunningDaemon.start(kafka, dir.resolve("b"), sink.port(), yaml(false), topic, group)) {
      Thread.sleep(8000);
      String id =
          amtool(
              a.httpBase(),
              "silence",
              "add",
              "site=ship-9",
              "room=engine",
              "--duration=1h",
              "--comment=engine room opened for maintenance");
      await().atMost(Duration.ofSeconds(20)).until(() -> lines(a, b, "silence-added").size() == 2);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < TYPES.size(); i++) {
        records.add(
            PolicyRuns.record(topic, alarm("m-" + i, TYPES.get(i), "ship-9", "engine", "firing")));
      }
      RunningDaemon.produce(kafka, records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> suppressed(lines(a, b, "suppressed"), "silenced").size() == TYPES.size());
      List<JsonNode> silenced = suppressed(lines(a, b, "suppressed"), "silenced");
      assertThat(silenced).extracting(l -> l.path("cause").asText()).containsOnly(id);
      // Both instances decided some: the silence set through A held on B.
      assertThat(suppressed(b.audit(), "silenced")).isNotEmpty();
      assertThat(suppressed(a.audit(), "silenced")).isNotEmpty();
      Thread.sleep(3000);
      assertThat(sink.received()).isEmpty();

      amtool(a.httpBase(), "silence", "expire", id);
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == TYPES.size());
      assertThat(lines(a, b, "silence-expired")).hasSize(2);
      assertThat(lines(a, b, "silence-added").get(0).path("silence").path("comment").asText())
          .isEqualTo("engine room opened for maintenance");
      assertThat(lines(a, b, "silence-added").get(0).path("silence").path("created_by").asText())
          .isEqualTo("alice");
    }
  }

  @Test
  void anInhibitionHoldsAcrossPartitionsAndInstancesUntilItsSourceResolves(
      KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, PARTITIONS);
    String group = "inhibit-" + UUID.randomUUID();
    // The source's group and its targets' groups: at least one target is grouped elsewhere.
    Set<Integer> partitions = new HashSet<>();
    for (String t : TYPES) {
      partitions.add(partition(groupKey("engine", t, "ship-7", "engine")));
    }
    int sourcePartition = partition(groupKey("control", "plc-comms-lost", "ship-7", "control"));
    assertThat(partitions).anyMatch(p -> p != sourcePartition);
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon a =
            RunningDaemon.start(kafka, dir.resolve("a"), sink.port(), yaml(false), topic, group);
        RunningDaemon b =
            RunningDaemon.start(kafka, dir.resolve("b"), sink.port(), yaml(false), topic, group)) {
      Thread.sleep(8000);
      ObjectNode source = alarm("plc-1", "plc-comms-lost", "ship-7", "control", "firing");
      RunningDaemon.produce(kafka, List.of(PolicyRuns.record(topic, source)));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < TYPES.size(); i++) {
        records.add(
            PolicyRuns.record(topic, alarm("t-" + i, TYPES.get(i), "ship-7", "engine", "firing")));
      }
      RunningDaemon.produce(kafka, records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> suppressed(lines(a, b, "suppressed"), "inhibited").size() == TYPES.size());
      String sourceFp = Fingerprints.of(snapshot(source));
      assertThat(suppressed(lines(a, b, "suppressed"), "inhibited"))
          .extracting(l -> l.path("cause").asText())
          .containsOnly(sourceFp);
      Thread.sleep(3000);
      assertThat(sink.received()).hasSize(1);

      RunningDaemon.produce(
          kafka,
          List.of(
              PolicyRuns.record(
                  topic, alarm("plc-2", "plc-comms-lost", "ship-7", "control", "resolved"))));
      // The resolution, and each target that still fires.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sink.received().size() == 2 + TYPES.size());
    }
  }

  @Test
  void aSilenceThatExpiresOnResolveEndsOnceEveryAlertItCoveredResolved(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, PARTITIONS);
    String group = "eor-" + UUID.randomUUID();
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon a =
            RunningDaemon.start(kafka, dir.resolve("a"), sink.port(), yaml(false), topic, group);
        KafkaSilences store =
            new KafkaSilences(
                KafkaSilences.topicFor(group + ".state"),
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                Clock.systemUTC())) {
      Thread.sleep(5000);
      store.start();
      assertThat(store.awaitLoaded(Duration.ofSeconds(30))).isTrue();
      Instant now = Instant.now();
      Silence s =
          store.add(
              List.of(Matcher.parse("labels.site=\"ship-5\"")),
              now,
              now.plus(Duration.ofHours(2)),
              "anna",
              "until the pumps are back",
              true);
      RunningDaemon.produce(
          kafka,
          List.of(
              PolicyRuns.record(topic, alarm("p-1", "overtemp", "ship-5", "engine", "firing")),
              PolicyRuns.record(topic, alarm("p-2", "low-oil", "ship-5", "engine", "firing"))));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> suppressed(a.audit(), "silenced").size() == 2);
      RunningDaemon.produce(
          kafka,
          List.of(
              PolicyRuns.record(topic, alarm("p-3", "overtemp", "ship-5", "engine", "resolved"))));
      // Past the 30 s an expire-on-resolve silence is given before it may end (Operators.SETTLE).
      Thread.sleep(40_000);
      assertThat(store.get(s.id()).orElseThrow().activeAt(Instant.now()))
          .as("one covered alert still fires")
          .isTrue();
      RunningDaemon.produce(
          kafka,
          List.of(
              PolicyRuns.record(topic, alarm("p-4", "low-oil", "ship-5", "engine", "resolved"))));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  a.audit().stream()
                      .anyMatch(l -> "silence-expired".equals(l.path("status").asText())));
      assertThat(store.get(s.id()).orElseThrow().activeAt(Instant.now())).isFalse();
      // Fired and resolved under the silence: never news, never mailed.
      assertThat(sink.received()).isEmpty();
    }
  }

  private static String groupKey(String route, String type, String site, String room) {
    return Fingerprints.groupKey(
        route, List.of("labels.site", "type"), snapshot(alarm("x", type, site, room, "firing")));
  }

  /** The events topic's partition of a group: Kafka's default partitioner on the key. */
  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static AlertSnapshot snapshot(ObjectNode e) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    e.get("labels").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
    return new AlertSnapshot(
        e.get("id").asText(),
        0,
        e.get("source").asText(),
        e.get("type").asText(),
        e.get("severity").asText(),
        e.get("status").asText(),
        null,
        null,
        labels,
        Map.of());
  }
}

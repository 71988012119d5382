package io.alertbridge.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.ManualClock;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.route.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the policy through the real topology with Kafka's own {@link TopologyTestDriver} and a
 * clock the test moves; the tests of the policy's decisions extend it.
 */
abstract class PolicyTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir Path dir;

  final ManualClock clock = new ManualClock(START);
  private final List<AuditRecord> audit = new ArrayList<>();
  private final List<Notification> pendingMails = new ArrayList<>();
  final List<String> skewedSources = new ArrayList<>();
  final PolicyObserver observer =
      new PolicyObserver() {
        @Override
        public void clockSkewed(String source, Duration skew) {
          skewedSources.add(source + ":" + skew.toSeconds());
        }
      };
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> alerts;
  TestOutputTopic<String, byte[]> notifications;
  TestOutputTopic<byte[], byte[]> deadLetters;

  /** What operators set (issue 17): tests put silences here before {@link #start}. */
  io.alertbridge.silence.Silences silences = io.alertbridge.silence.Silences.NONE;

  /** The watched alerts as an instance's follower of the watched topic would see them. */
  final WatchedAlerts watched = new WatchedAlerts();

  LiveRules rules;
  private TestOutputTopic<String, byte[]> watchedTopic;

  /** The keys that check responses (issue 18); tests set them before {@link #start}. */
  PolicyOperators.Acks acks = PolicyOperators.Acks.NONE;

  /** Replies, link clicks and bounces, as the inbound reader and the link page write them. */
  TestInputTopic<String, byte[]> responses;

  static final String ROUTES =
      """
      routes:
        - name: engine
          match: {labels: {room: engine}}
          to: [chief.engineer@plant.example]
          template: overtemp
          group-by: [labels.site]
          group-wait: 30s
          group-interval: 5m
          repeat-interval: 4h
        - name: default
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;

  /** The rules of another configuration, as a reload would set them. */
  PolicyRules rulesOf(String routes, String policy, long version) throws Exception {
    AlertbridgeConfig config = config(routes, policy);
    return PolicyRules.of(config, Router.of(config), version);
  }

  private AlertbridgeConfig config(String routes, String policy) throws Exception {
    String yaml =
        ConfigFixtures.VALID
            .replaceAll("(?s)routes:.*?templates:", routes.replace("$", "\\$") + "templates:")
            .replace(
                "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                "policy:\n" + policy);
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  void start(String routes, String policy) throws Exception {
    String yaml =
        ConfigFixtures.VALID
            .replaceAll("(?s)routes:.*?templates:", routes.replace("$", "\\$") + "templates:")
            .replace(
                "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                "policy:\n" + policy);
    AlertbridgeConfig config = new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
    Router router = Router.of(config);
    PolicyTopology.Wiring w =
        new PolicyTopology.Wiring(
            new EventDecoder(1 << 20),
            rules = new LiveRules(PolicyRules.of(config, router, 0)),
            clock,
            List.of("alerts"),
            "alerts.dlq",
            "alertbridge.state",
            config.policy().maxEventAge(),
            config.policy().dedupWindow(),
            config.policy().maxMailsPerRecipient(),
            "plant.example",
            config.policy().maxClockSkew(),
            observer,
            new PolicyOperators(silences, watched, acks),
            null);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "policy-test");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    driver = new TopologyTestDriver(PolicyTopology.build(w), p, START);
    alerts =
        driver.createInputTopic("alerts", new ByteArraySerializer(), new ByteArraySerializer());
    notifications =
        driver.createOutputTopic(
            w.notificationsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters =
        driver.createOutputTopic(
            "alerts.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    responses =
        driver.createInputTopic(
            w.responsesTopic(), new StringSerializer(), new ByteArraySerializer());
    watchedTopic =
        driver.createOutputTopic(
            w.watchedTopic(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** Hands what the topology wrote to the watched topic to the view, as the follower does. */
  void followWatched() {
    for (TestRecord<String, byte[]> r : watchedTopic.readRecordsToList()) {
      watched.apply(r.key(), r.value());
    }
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  void advance(Duration d) {
    followWatched();
    clock.advance(d);
    driver.advanceWallClockTime(d);
    followWatched();
  }

  static ObjectNode event(String id, String sensor, String status) {
    ObjectNode e = JSON.createObjectNode();
    e.put("id", id);
    e.put("time", START.toString());
    e.put("source", "engine-room/plc-3");
    e.put("type", "overtemp");
    e.put("severity", "critical");
    e.put("status", status);
    e.put("summary", "Overtemp at " + sensor);
    e.putObject("labels").put("room", "engine").put("site", "ship-1").put("sensor", sensor);
    e.putObject("values").put("temperature_c", 98.4);
    return e;
  }

  void send(ObjectNode e) {
    e.put("time", clock.instant().toString());
    send(e.toString());
  }

  void send(String json) {
    alerts.pipeInput(new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8)));
    followWatched();
  }

  /** Sorts what the topology wrote to the notification topic into mails and audit lines. */
  private void drain() throws Exception {
    for (TestRecord<String, byte[]> r : notifications.readRecordsToList()) {
      if (r.headers().lastHeader(StageRecords.KIND_HEADER) != null) {
        audit.add(AuditRecord.fromJson(new String(r.value(), StandardCharsets.UTF_8)));
      } else {
        pendingMails.add(PolicyJson.read(r.value(), Notification.class));
      }
    }
  }

  List<Notification> mails() throws Exception {
    drain();
    List<Notification> out = new ArrayList<>(pendingMails);
    pendingMails.clear();
    return out;
  }

  /**
   * The policy's audit lines so far: records on the notification topic, as the delivery stage reads
   * them.
   */
  List<AuditRecord> audit() throws Exception {
    drain();
    return audit;
  }

  List<AuditRecord> suppressed(String reason) throws Exception {
    drain();
    return audit.stream()
        .filter(r -> r.status() == AuditStatus.SUPPRESSED && reason.equals(r.reason()))
        .toList();
  }

  static final String DEFAULT_POLICY = "  max-event-age: 1h\n";
}

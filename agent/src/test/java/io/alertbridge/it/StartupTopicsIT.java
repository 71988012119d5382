package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic that does not exist is a configuration error at startup, named with its key, not a write
 * that fails forever when the first bad record arrives.
 */
@ExtendWith(KafkaFixture.class)
class StartupTopicsIT {
  @TempDir Path dir;

  private Map<String, String> env(KafkaFixture.Broker kafka, String topic) {
    return ConfigFixtures.env(
        kafka.bootstrapServers(), topic, "g-" + UUID.randomUUID(), 25, dir.resolve("audit.jsonl"));
  }

  @Test
  void runExitsTwoNamingAMissingDeadLetterTopic(KafkaFixture.Broker kafka) throws Exception {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaFixture.createTopics(kafka, 1, topic);
    Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    try (DaemonProcess run = DaemonProcess.run(dir.resolve("run.log"), env(kafka, topic), config)) {
      assertThat(run.waitFor(60)).isEqualTo(2);
      assertThat(run.log())
          .contains(
              "alertbridge: configuration error:",
              "kafka.dead-letter-topic: must name an existing topic; alertbridge does not create"
                  + " topics, and bad records can only be set aside once it exists"
                  + " (kafka-topics.sh --create --topic "
                  + topic
                  + ".dlq) (found: \""
                  + topic
                  + ".dlq\")");
    }
  }

  @Test
  void checkConfigChecksTheTopicsOnTheBroker(KafkaFixture.Broker kafka) throws Exception {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    try (DaemonProcess missing =
        DaemonProcess.start(
            dir.resolve("missing.log"),
            env(kafka, topic),
            "check-config",
            "-c",
            config.toString())) {
      assertThat(missing.waitFor(60)).isEqualTo(2);
      assertThat(missing.log())
          .contains("kafka.topics[0]: must name an existing topic", "kafka.dead-letter-topic:");
    }
    KafkaFixture.createTopics(kafka, 1, topic, topic + ".dlq");
    try (DaemonProcess present =
        DaemonProcess.start(
            dir.resolve("present.log"),
            env(kafka, topic),
            "check-config",
            "-c",
            config.toString())) {
      assertThat(present.waitFor(60)).isZero();
      assertThat(present.log()).contains("is valid");
    }
  }

  static final String POLICY_OFF =
      "  enabled: false  # these tests are about delivery: one mail per event, at once\n";

  @Test
  void thePolicysTopicsAreReplicatedAsConfiguredAndCheckConfigSaysHow(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    String group = "g-" + UUID.randomUUID();
    KafkaFixture.createTopics(kafka, 1, topic, topic + ".dlq");
    Map<String, String> env =
        ConfigFixtures.env(kafka.bootstrapServers(), topic, group, 25, dir.resolve("audit.jsonl"));

    Path tooMany =
        ConfigFixtures.write(
            dir, ConfigFixtures.VALID.replace(POLICY_OFF, "  replication-factor: 2\n"));
    try (DaemonProcess check =
        DaemonProcess.start(
            dir.resolve("rf2.log"), env, "check-config", "-c", tooMany.toString())) {
      assertThat(check.waitFor(60)).isEqualTo(2);
      assertThat(check.log())
          .contains("policy.replication-factor: must be at most the number of brokers");
    }

    String policyOn = ConfigFixtures.VALID.replace(POLICY_OFF, "  min-insync-replicas: 1\n");
    Path config = ConfigFixtures.write(dir, policyOn);
    try (DaemonProcess check =
        DaemonProcess.start(dir.resolve("ok.log"), env, "check-config", "-c", config.toString())) {
      assertThat(check.waitFor(60)).isZero();
      assertThat(check.log())
          .contains(
              "its topics: 1 partition(s), replication factor 1, min.insync.replicas 1"
                  + " (policy.min-insync-replicas, the rest as the alert topics); create, group and"
                  + " transactional-id ACLs checked");
    }

    // The stage's own topics and Kafka Streams' changelogs carry the setting explicitly.
    String state = group + ".state";
    List<String> made =
        List.of(
            state + "-events",
            state + "-mails",
            state + "-notifications",
            state + "-heads-changelog");
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, 25, policyOn, topic, group);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> d.isRunning() && admin.listTopics().names().get().containsAll(made));
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  made.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
              .all()
              .get();
      assertThat(configs.values())
          .allSatisfy(
              c -> {
                ConfigEntry e = c.get("min.insync.replicas");
                assertThat(e.value()).isEqualTo("1");
                assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                // Set explicitly, so every record the stage bounds below 256 KiB fits.
                ConfigEntry max = c.get("max.message.bytes");
                assertThat(max.value()).isEqualTo("1048576");
                assertThat(max.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
              });
      assertThat(admin.describeTopics(made).allTopicNames().get().values())
          .allSatisfy(t -> assertThat(t.partitions().get(0).replicas()).hasSize(1));

      // An existing topic made otherwise is left alone, and check-config says so.
      ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, made.get(0));
      admin
          .incrementalAlterConfigs(
              Map.of(
                  events,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("min.insync.replicas", "2"), AlterConfigOp.OpType.SET))))
          .all()
          .get();
      try (DaemonProcess check =
          DaemonProcess.start(
              dir.resolve("differs.log"), env, "check-config", "-c", config.toString())) {
        assertThat(check.waitFor(60)).isZero();
        assertThat(check.log())
            .contains(
                "but "
                    + made.get(0)
                    + " exists with replication factor 1, min.insync.replicas 2; alertbridge leaves"
                    + " existing topics as they are");
      }
    }
  }
}

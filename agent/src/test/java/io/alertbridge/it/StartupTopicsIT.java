package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.ConfigFixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
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
}

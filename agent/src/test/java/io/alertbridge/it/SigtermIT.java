package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.Progress;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The packaged daemon in its own JVM, stopped the way systemd stops it: SIGTERM. */
@ExtendWith(KafkaFixture.class)
class SigtermIT {
  private static final Path JAR = Path.of("target/alertbridge.jar");

  @TempDir Path dir;

  @Test
  void sigtermCommitsDeliveredRecordsAndExitsZero(KafkaFixture.Broker kafka) throws Exception {
    assertThat(JAR).as("built by the package phase before integration tests").exists();
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "sigterm-" + UUID.randomUUID();
    Path audit = dir.resolve("audit.jsonl");
    try (SmtpSink sink = SmtpSink.start()) {
      Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  JAR.toString(),
                  "run",
                  "--config",
                  config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("daemon.log").toFile());
      pb.environment()
          .putAll(ConfigFixtures.env(kafka.bootstrapServers(), topic, group, sink.port(), audit));
      Process daemon = pb.start();
      try {
        produce(kafka, topic, 5);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == 5);
        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
      } finally {
        daemon.destroyForcibly();
      }
      String log = Files.readString(dir.resolve("daemon.log"));
      assertThat(log).contains("consumer closed", "alertbridge stopped");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        assertThat(new Progress(kafka.bootstrapServers(), group, topic).committed(admin))
            .containsEntry(new TopicPartition(topic, 0), 5L);
      }
      assertThat(Files.readAllLines(audit))
          .hasSize(5)
          .allMatch(l -> l.contains("\"status\":\"sent\""));
    }
  }

  @Test
  void sigtermThroughThePolicyLeavesBothConsumerGroupsSoARestartNeedNotWaitForTheirSessions(
      KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "sigterm-policy-" + UUID.randomUUID();
    try (SmtpSink sink = SmtpSink.start()) {
      String yaml =
          PolicyRuns.config(
              """
              routes:
                - name: default
                  to: [ops@plant.example]
                  template: plain
                  group-wait: 0s
              """,
              // Events.info's readings are from 2026-11-28: not stale here.
              "  max-event-age: 3650d\n");
      Path config = ConfigFixtures.write(dir, yaml);
      DaemonProcess d =
          DaemonProcess.run(
              dir.resolve("daemon.log"),
              ConfigFixtures.env(
                  kafka.bootstrapServers(), topic, group, sink.port(), dir.resolve("audit.jsonl")),
              config);
      try {
        produce(kafka, topic, 3);
        // Three readings of one alert: one mail.
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
          // The delivery consumer's group, and the policy stage's (its application id).
          String policyGroup = group + ".state";
          assertThat(members(admin, group)).isEqualTo(1);
          assertThat(members(admin, policyGroup)).isEqualTo(1);
          assertThat(d.sigterm(60)).isZero();
          // Left at once, not after session.timeout.ms (45 s): a restarted daemon, a new member,
          // is assigned its partitions without waiting for the old member to time out.
          assertThat(members(admin, group)).isZero();
          assertThat(members(admin, policyGroup)).isZero();
        }
      } finally {
        d.kill9();
      }
    }
  }

  private static int members(Admin admin, String group) throws Exception {
    return admin
        .describeConsumerGroups(List.of(group))
        .describedGroups()
        .get(group)
        .get(30, TimeUnit.SECONDS)
        .members()
        .size();
  }

  private static void produce(KafkaFixture.Broker kafka, String topic, int n) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(
          new ProducerRecord<>(
              topic,
              Events.info("sigterm-" + i, "reading " + i, "").getBytes(StandardCharsets.UTF_8)));
    }
    RunningDaemon.produce(kafka, records);
  }
}

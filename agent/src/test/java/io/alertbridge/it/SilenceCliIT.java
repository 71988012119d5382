package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.cli.CapturedOutput;
import io.alertbridge.cli.Main;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.policy.FiringAlerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alertbridge silence} against a real broker and a real policy stage: query shows the alert
 * firing now that a silence would cover, add writes it, list shows it, expire ends it.
 */
@ExtendWith(KafkaFixture.class)
class SilenceCliIT {
  private static final String ROUTES =
      """
      routes:
        - name: sensors
          to: [ops@plant.example]
          template: plain
          group-by: [labels.sensor]
          group-wait: 1s
      """;

  @TempDir Path dir;
  @RegisterExtension final CapturedOutput output = new CapturedOutput();

  /** Runs a command; its stdout, and its exit code checked. */
  private String run(int expected, String... args) {
    output.reset();
    int code = Main.execute(args);
    assertThat(code)
        .as("exit code of %s, stderr: %s", String.join(" ", args), output.stderr())
        .isEqualTo(expected);
    return output.stdout();
  }

  @Test
  void queryAddListAndExpireASilenceOfAFiringAlert(KafkaFixture.Broker kafka) throws Exception {
    String yaml = PolicyRuns.config(ROUTES, "  max-event-age: 1h\n");
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "group-" + UUID.randomUUID();
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), yaml, topic, group)) {
      d.produce(PolicyRuns.reading("t3-1", "T3", "firing").toString());
      d.produce(PolicyRuns.reading("t4-1", "T4", "firing").toString());
      String stateTopic = group + ".state";
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  FiringAlerts.read(
                              Map.of("bootstrap.servers", kafka.bootstrapServers()),
                              stateTopic,
                              Duration.ofSeconds(30))
                          .size()
                      == 2);

      String config = cliConfig(kafka, yaml, topic, group, sink.port()).toString();
      String query = run(0, "silence", "query", "--config", config, "labels.sensor=T3");
      assertThat(query)
          .contains("engine-room/plc-3 overtemp critical", "sensor=T3", "Overtemp at T3")
          .doesNotContain("T4");
      run(1, "silence", "query", "--config", config, "labels.sensor=T9");

      String id =
          run(
                  0,
                  "silence",
                  "add",
                  "--config",
                  config,
                  "--duration",
                  "2h",
                  "--author",
                  "anna",
                  "--comment",
                  "T3 is being replaced",
                  "labels.sensor=T3")
              .strip();
      assertThat(id).matches("[0-9a-f-]{36}");

      assertThat(run(0, "silence", "list", "--config", config))
          .contains(id, "active", "anna", "\"T3 is being replaced\"", "labels.sensor=\"T3\"");
      JsonNode json =
          new ObjectMapper()
              .readTree(run(0, "silence", "list", "--config", config, "--format", "json"));
      assertThat(json).hasSize(1);
      assertThat(json.get(0).get("id").asText()).isEqualTo(id);
      assertThat(json.get(0).get("status").get("state").asText()).isEqualTo("active");
      assertThat(json.get(0).get("matchers").get(0).get("name").asText())
          .isEqualTo("labels.sensor");

      run(1, "silence", "expire", "--config", config, id, "no-such-id");
      assertThat(output.stderr()).contains("no silence has id no-such-id");
      assertThat(run(0, "silence", "list", "--config", config)).doesNotContain(id);
      assertThat(run(0, "silence", "list", "--config", config, "--all")).contains(id, "expired");
    }
  }

  /** The daemon's configuration with its environment written in, as an operator's file is. */
  private Path cliConfig(
      KafkaFixture.Broker kafka, String yaml, String topic, String group, int smtpPort)
      throws Exception {
    String literal =
        yaml.replace("${KAFKA:-localhost:9092}", kafka.bootstrapServers())
            .replace("${GROUP:-alertbridge-test}", group)
            .replace("${TOPIC:-alerts}", topic)
            .replace("${DLQ:-alerts.dlq}", topic + ".dlq")
            .replace("${SMTP_PORT:-25}", Integer.toString(smtpPort))
            .replace("${AUDIT:-audit.jsonl}", dir.resolve("cli-audit.jsonl").toString());
    return ConfigFixtures.write(dir.resolve("cli"), literal);
  }
}

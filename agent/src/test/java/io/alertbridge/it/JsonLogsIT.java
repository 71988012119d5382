package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.alertbridge.config.ConfigFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon with {@code logging.format: json} and debug logging, authenticating to its
 * SMTP server with a password and carrying a password among its Kafka properties: every log line is
 * one JSON object, the mail's line is among them, and no secret appears in any line, in clear or in
 * base64.
 */
@ExtendWith(KafkaFixture.class)
class JsonLogsIT {
  private static final String SMTP_PASSWORD = "s3cr3t-hunter2";
  private static final String KAFKA_SECRET = "kafka-truststore-s3cr3t";

  @TempDir Path dir;

  @Test
  void jsonLogsAreOneObjectPerLineAndNeverCarryASecret(KafkaFixture.Broker kafka) throws Exception {
    GreenMail smtp =
        new GreenMail(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("alertbridge", SMTP_PASSWORD));
    smtp.start();
    try {
      String yaml =
          ConfigFixtures.VALID
              .replace(
                  "      port: ${SMTP_PORT:-25}\n",
                  "      port: ${SMTP_PORT:-25}\n      username: alertbridge\n      password: "
                      + SMTP_PASSWORD
                      + "\n")
              .replace(
                  "  poll-timeout: 50ms\n",
                  "  poll-timeout: 50ms\n  properties: {ssl.truststore.password: "
                      + KAFKA_SECRET
                      + "}\n")
              .replace("audit:\n", "logging:\n  format: json\naudit:\n");
      String topic = RunningDaemon.newTopic(kafka, 1);
      Path config = ConfigFixtures.write(dir, yaml);
      Map<String, String> env =
          new HashMap<>(
              ConfigFixtures.env(
                  kafka.bootstrapServers(),
                  topic,
                  "json-logs-" + UUID.randomUUID(),
                  smtp.getSmtp().getPort(),
                  dir.resolve("audit.jsonl")));
      env.put("ALERTBRIDGE_LOG_LEVEL", "DEBUG");
      env.put("KAFKA_LOG_LEVEL", "INFO");
      Path logFile = dir.resolve("daemon.log");
      try (DaemonProcess d = DaemonProcess.run(logFile, env, config)) {
        RunningDaemon.produce(
            kafka,
            List.of(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    topic,
                    Events.info("json-1", "Bilge pump running", "")
                        .getBytes(StandardCharsets.UTF_8))));
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.log().contains("sent event="));
        assertThat(d.sigterm(60)).isZero();
      }
      List<String> lines = Files.readAllLines(logFile);
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> objects = new ArrayList<>();
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = json.readTree(line);
        assertThat(o.isObject()).as(line).isTrue();
        objects.add(o);
      }
      assertThat(objects)
          .anySatisfy(
              o -> {
                assertThat(o.path("level").asText()).isEqualTo("INFO");
                assertThat(o.path("loggerName").asText()).isEqualTo("io.alertbridge.mail");
                assertThat(o.path("formattedMessage").asText()).startsWith("sent event=[json-1]");
                assertThat(o.path("threadName").asText()).startsWith("alertbridge-delivery-");
                assertThat(o.path("timestamp").asLong()).isPositive();
              });
      String all = String.join("\n", lines);
      for (String secret :
          List.of(
              SMTP_PASSWORD,
              KAFKA_SECRET,
              Base64.getEncoder()
                  .encodeToString(
                      ("\0alertbridge\0" + SMTP_PASSWORD).getBytes(StandardCharsets.UTF_8)),
              Base64.getEncoder().encodeToString(SMTP_PASSWORD.getBytes(StandardCharsets.UTF_8)))) {
        assertThat(all).as("a secret in the log").doesNotContain(secret);
      }
      assertThat(all).contains("[hidden]");
    } finally {
      smtp.stop();
    }
  }
}

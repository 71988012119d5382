package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon with a primary and a backup relay, both real SMTP servers: the primary hangs
 * after the final dot, then refuses with 421, then recovers. Nothing is lost, the ambiguous attempt
 * is audited {@code uncertain}, its copy at the backup has the same Message-ID, and traffic returns
 * to the primary once its circuit half-opens.
 */
@ExtendWith(KafkaFixture.class)
class FailoverIT {
  @TempDir Path dir;

  private static String twoServers(int backupPort) {
    return ConfigFixtures.VALID
        .replace(
            "    - host: 127.0.0.1\n      port: ${SMTP_PORT:-25}\n",
            String.join(
                "\n",
                "    - name: primary",
                "      host: 127.0.0.1",
                "      port: ${SMTP_PORT:-25}",
                "      priority: 1",
                "    - name: backup",
                "      host: 127.0.0.1",
                "      port: " + backupPort,
                "      priority: 2",
                ""))
        .replace(
            "  read-timeout: 5s\n",
            "  read-timeout: 2s\n  data-timeout: 2s\n"
                + "  circuit-breaker: {failure-rate: 50%, minimum-calls: 2, open-for: 1s}\n");
  }

  @Test
  void hangThenRefusalThenRecoveryOfThePrimaryLosesNothing(KafkaFixture.Broker kafka)
      throws Exception {
    AtomicReference<String> mode = new AtomicReference<>("hang");
    try (SmtpSink primary = SmtpSink.start();
        SmtpSink backup = SmtpSink.start()) {
      primary.behaviour(
          new SmtpSink.Behaviour() {
            @Override
            public String mailFrom(String path) {
              return mode.get().equals("421") ? "421 4.3.2 Service shutting down" : "250 2.1.0 Ok";
            }

            @Override
            public String endOfData(String queueId) {
              return mode.get().equals("hang") ? null : SmtpSink.POSTFIX.endOfData(queueId);
            }
          });
      try (RunningDaemon d =
          RunningDaemon.start(kafka, dir, primary.port(), twoServers(backup.port()))) {
        // 1. The primary takes the message and never answers the dot.
        d.produce(Events.info("fo-1", "Bilge pump running long", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 1);
        List<JsonNode> audit = d.audit();
        assertThat(audit)
            .extracting(a -> a.get("status").asText())
            .containsExactly("uncertain", "sent");
        assertThat(audit.get(0).get("smtp_server").asText()).isEqualTo("primary");
        assertThat(audit.get(1).get("smtp_server").asText()).isEqualTo("backup");
        assertThat(audit.get(1).get("message_id").asText())
            .isEqualTo(audit.get(0).get("message_id").asText());
        assertThat(primary.received()).hasSize(1);
        assertThat(backup.received()).hasSize(1);
        new Delivered(List.of(primary.received().get(0), backup.received().get(0)))
            .assertEveryEventMailedWithOneMessageId(List.of("fo-1"));

        // 2. The primary refuses MAIL FROM with 421: every mail goes to the backup at once.
        mode.set("421");
        List<String> ids = new java.util.ArrayList<>();
        RunningDaemon.produceEvents(kafka, d.topic, "fo-421", 5, ids);
        await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 6);
        assertThat(backup.received()).hasSize(6);
        assertThat(primary.received()).hasSize(1);

        // 3. The primary recovers: once its circuit half-opens, traffic returns to it.
        mode.set("ok");
        Thread.sleep(1200);
        RunningDaemon.produceEvents(kafka, d.topic, "fo-back", 5, ids);
        await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 11);
        assertThat(primary.received().size()).as("mails at the recovered primary").isGreaterThan(1);
        List<SmtpSink.Received> all = new java.util.ArrayList<>(primary.received());
        all.addAll(backup.received());
        ids.add("fo-1");
        new Delivered(all).assertEveryEventMailedWithOneMessageId(ids);
        Delivered.assertAuditedSent(d.auditFile, ids);
      }
    }
  }
}

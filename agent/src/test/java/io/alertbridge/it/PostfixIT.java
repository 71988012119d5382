package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.config.ConfigFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** alertbridge submitting to a real Postfix; the audit log must name Postfix's own queue IDs. */
@ExtendWith(KafkaFixture.class)
class PostfixIT {
  @TempDir Path dir;

  @Test
  void queueIdInTheAuditLogIsTheOnePostfixLoggedForTheMessageId(KafkaFixture.Broker kafka)
      throws Exception {
    try (PostfixInstance postfix = PostfixInstance.start(Map.of());
        RunningDaemon d = RunningDaemon.start(kafka, dir, postfix.port(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("pf-1", "Overtemp in the engine room: 98.4 °C", "T3 hot"));
      d.produce(Events.info("pf-2", "Engine room temperature normal", ""));
      d.produce(Events.critical("pf-3", "Overtemp again", "T3 hot"));
      await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 3);

      List<JsonNode> sent = d.audit();
      assertThat(sent).hasSize(3).allMatch(a -> a.get("status").asText().equals("sent"));
      for (JsonNode a : sent) {
        String queueId = a.get("queue_id").asText();
        String messageId = a.get("message_id").asText();
        assertThat(a.get("reply_text").asText()).isEqualTo("Ok: queued as " + queueId);
        assertThat(a.get("enhanced_status").asText()).isEqualTo("2.0.0");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> postfix.queueIdFor(messageId).isPresent());
        assertThat(postfix.queueIdFor(messageId)).contains(queueId);
      }
      assertThat(postfix.maillog())
          .contains(sent.get(0).get("queue_id").asText() + ": to=<chief.engineer@plant.example>");
    }
  }

  @Test
  void aRecipientPostfixDoesNotKnowIsRefusedAloneAndTheOthersGetTheMailOnce(
      KafkaFixture.Broker kafka) throws Exception {
    // plant.example is relayed only to the addresses in the recipient table, as a site relay
    // would; the duty engineer has left.
    Map<String, String> relayWithRecipientTable =
        Map.of(
            "relay_domains", "plant.example",
            "relay_recipient_maps", "texthash:{etc}/recipients");
    Map<String, String> files =
        Map.of("recipients", "chief.engineer@plant.example OK\nops@plant.example OK\n");
    try (PostfixInstance postfix = PostfixInstance.start(relayWithRecipientTable, files);
        RunningDaemon d = RunningDaemon.start(kafka, dir, postfix.port(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("pf-left", "Overtemp in the engine room: 98.4 °C", "T3 hot"));
      await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 1);

      List<JsonNode> audit = d.audit();
      assertThat(audit).hasSize(1);
      JsonNode sent = audit.get(0);
      assertThat(sent.get("status").asText()).isEqualTo("sent");
      assertThat(sent.get("recipients").toString()).isEqualTo("[\"chief.engineer@plant.example\"]");
      JsonNode refused = sent.get("refused").get(0);
      assertThat(refused.get("address").asText()).isEqualTo("duty.engineer@plant.example");
      assertThat(refused.get("reply_code").asInt()).isEqualTo(550);
      assertThat(refused.get("enhanced_status").asText()).isEqualTo("5.1.1");
      assertThat(refused.get("reply_text").asText()).contains("User unknown");

      String queueId = sent.get("queue_id").asText();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> postfix.queueIdFor(sent.get("message_id").asText()).isPresent());
      assertThat(postfix.queueIdFor(sent.get("message_id").asText())).contains(queueId);
      assertThat(postfix.maillog())
          .contains(queueId + ": to=<chief.engineer@plant.example>")
          .doesNotContain(queueId + ": to=<duty.engineer@plant.example>");
      assertThat(d.deadLetters())
          .singleElement()
          .satisfies(
              r ->
                  assertThat(RunningDaemon.header(r, "alertbridge.error.reason"))
                      .startsWith(
                          "route engine-critical: recipients refused: duty.engineer@plant.example (550 5.1.1"));
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One recipient of a list refused or deferred must not keep the alert from the others: the chief
 * engineer gets the overtemp mail although the duty engineer's address is gone or busy.
 */
@ExtendWith(KafkaFixture.class)
class PerRecipientIT {
  private static final String CHIEF = "chief.engineer@plant.example";
  private static final String DUTY = "duty.engineer@plant.example";

  @TempDir Path dir;
  private SmtpSink sink;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
  }

  @Test
  void aRefusedRecipientIsAuditedAndDeadLetteredWhileTheOthersGetTheMailOnce(
      KafkaFixture.Broker kafka) throws Exception {
    sink.behaviour(
        SmtpSink.rcpt(
            p ->
                p.equals(DUTY)
                    ? "550 5.1.1 <" + p + ">: Recipient address rejected: User unknown"
                    : "250 2.1.5 Ok"));
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("overtemp-1", "Overtemp in the engine room: 98.4 °C", "T3"));
      await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 1);

      assertThat(sink.received())
          .singleElement()
          .satisfies(m -> assertThat(m.recipients()).containsExactly(CHIEF));
      List<JsonNode> audit = d.audit();
      assertThat(audit).hasSize(1);
      JsonNode sent = audit.get(0);
      assertThat(sent.get("status").asText()).isEqualTo("sent");
      assertThat(sent.get("recipients").toString()).isEqualTo("[\"" + CHIEF + "\"]");
      JsonNode refused = sent.get("refused").get(0);
      assertThat(refused.get("address").asText()).isEqualTo(DUTY);
      assertThat(refused.get("reply_code").asInt()).isEqualTo(550);
      assertThat(refused.get("enhanced_status").asText()).isEqualTo("5.1.1");
      assertThat(sent.get("queue_id").asText()).isEqualTo(sink.received().get(0).queueId());

      List<ConsumerRecord<byte[], byte[]>> dlq = d.deadLetters();
      assertThat(dlq).hasSize(1);
      assertThat(RunningDaemon.header(dlq.get(0), KafkaDeadLetterSink.HEADER_STATUS))
          .isEqualTo("rejected");
      assertThat(RunningDaemon.header(dlq.get(0), KafkaDeadLetterSink.HEADER_REASON))
          .isEqualTo(
              "route engine-critical: recipients refused: "
                  + DUTY
                  + " (550 5.1.1 <"
                  + DUTY
                  + ">: Recipient address rejected: User unknown)")
          .doesNotContain(CHIEF);
    }
  }

  @Test
  void aDeferredRecipientFollowsInANewTransactionWithTheSameMessageId(KafkaFixture.Broker kafka)
      throws Exception {
    AtomicInteger dutyTries = new AtomicInteger();
    sink.behaviour(
        SmtpSink.rcpt(
            p ->
                p.equals(DUTY) && dutyTries.getAndIncrement() == 0
                    ? "452 4.5.3 Too many recipients"
                    : "250 2.1.5 Ok"));
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("overtemp-2", "Overtemp in the engine room: 99.1 °C", "T3"));
      await().atMost(Duration.ofSeconds(30)).until(() -> d.committed() == 1);

      assertThat(sink.received()).hasSize(2);
      assertThat(sink.received().get(0).recipients()).containsExactly(CHIEF);
      assertThat(sink.received().get(1).recipients()).containsExactly(DUTY);
      new Delivered(sink.received()).assertEveryEventMailedWithOneMessageId(List.of("overtemp-2"));
      List<JsonNode> audit = d.audit();
      assertThat(audit).extracting(a -> a.get("status").asText()).containsExactly("sent", "sent");
      assertThat(audit.get(0).get("recipients").toString()).isEqualTo("[\"" + CHIEF + "\"]");
      assertThat(audit.get(1).get("recipients").toString()).isEqualTo("[\"" + DUTY + "\"]");
      assertThat(d.deadLetters()).isEmpty();
    }
  }
}

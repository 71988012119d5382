package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The end of DATA is the one moment SMTP cannot make safe: the server may have queued the message
 * and then failed to say so (RFC 5321 §4.5.3.2.6 lets it take 10 minutes). alertbridge audits the
 * attempt as {@code uncertain} and retries, so the mail may arrive twice, but both copies carry the
 * same Message-ID and the audit log says where each may be; on the direct path and through the
 * policy stage alike.
 */
@ExtendWith(KafkaFixture.class)
class SmtpHangIT {
  /**
   * Short timeouts, so "no reply" is decided in seconds (data-timeout is 10 minutes by default).
   */
  private static final String SHORT_TIMEOUTS =
      ConfigFixtures.VALID.replace("read-timeout: 5s", "read-timeout: 2s\n  data-timeout: 3s");

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

  /** The first transaction gets {@code first}; every later one is answered like Postfix. */
  private void firstDataThen(java.util.function.Function<String, String> first) {
    AtomicInteger n = new AtomicInteger();
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String endOfData(String queueId) {
            return n.getAndIncrement() == 0
                ? first.apply(queueId)
                : SmtpSink.POSTFIX.endOfData(queueId);
          }
        });
  }

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void aConnectionClosedAfterTheDotWithoutAReplyIsRetriedUnderTheSameMessageId(
      DeliveryPath path, KafkaFixture.Broker kafka) throws Exception {
    firstDataThen(queueId -> null);
    try (RunningDaemon d =
        RunningDaemon.start(kafka, dir, sink.port(), path.config(SHORT_TIMEOUTS))) {
      d.produce(Events.fresh("hangup-1"));
      new Settled(kafka).awaitSettled(path, d.topic, d.group, Duration.ofSeconds(90));
      assertTwoCopiesOneMessageIdAndARetryInTheAudit(d);
      assertStillMails(d);
    }
  }

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void aReplyThatComesAfterTheTimeoutIsRetriedUnderTheSameMessageId(
      DeliveryPath path, KafkaFixture.Broker kafka) throws Exception {
    // Answers after 6 s, twice the data timeout: to the client, a server that hangs.
    firstDataThen(
        queueId -> {
          BrokerRestartIT.pause(Duration.ofSeconds(6));
          return "250 2.0.0 Ok: queued as " + queueId;
        });
    try (RunningDaemon d =
        RunningDaemon.start(kafka, dir, sink.port(), path.config(SHORT_TIMEOUTS))) {
      d.produce(Events.fresh("late-1"));
      new Settled(kafka).awaitSettled(path, d.topic, d.group, Duration.ofSeconds(90));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
      assertTwoCopiesOneMessageIdAndARetryInTheAudit(d);
      assertStillMails(d);
    }
  }

  /** After the hang, the next alert goes out on the first attempt and is audited as sent. */
  private void assertStillMails(RunningDaemon d) {
    List<String> ids = new ArrayList<>();
    Delivered.assertStillMails(d.broker, d.topic, sink, List.of(d.auditFile), ids);
    new Delivered(sink.received()).assertAudited(d.audit(), ids);
    assertThat(sink.received()).hasSize(3);
  }

  private void assertTwoCopiesOneMessageIdAndARetryInTheAudit(RunningDaemon d) {
    Delivered delivered = new Delivered(sink.received());
    assertThat(sink.received()).hasSize(2);
    assertThat(delivered.duplicates()).isEqualTo(1);
    delivered.assertEveryEventMailedWithOneMessageId(delivered.mails.keySet());
    List<JsonNode> audit = d.audit();
    delivered.assertAudited(audit, delivered.mails.keySet());
    assertThat(audit)
        .extracting(a -> a.get("status").asText())
        .containsExactly("uncertain", "sent");
    JsonNode uncertain = audit.get(0);
    assertThat(uncertain.get("reason").asText())
        .startsWith("no reply after the final dot, the server may have queued it; retrying");
    JsonNode sent = audit.get(1);
    assertThat(uncertain.get("message_id").asText()).isEqualTo(sent.get("message_id").asText());
    assertThat(sent.get("status").asText()).isEqualTo("sent");
    assertThat(sent.get("attempts").asInt()).as("the retry is audited").isEqualTo(2);
    assertThat(sink.received())
        .extracting(SmtpSink.Received::queueId)
        .contains(sent.get("queue_id").asText());
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole path, Kafka record to SMTP server to audit line, against real servers. */
@ExtendWith(KafkaFixture.class)
class PipelineIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private SmtpSink sink;
  private GreenMail greenMail;

  @BeforeEach
  void startSmtp() throws Exception {
    sink = SmtpSink.start();
    greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    greenMail.start();
  }

  @AfterEach
  void stopSmtp() throws Exception {
    sink.close();
    greenMail.stop();
  }

  private int greenMailPort() {
    return greenMail.getSmtp().getPort();
  }

  private static MimeMessage parse(SmtpSink.Received r) throws Exception {
    return new MimeMessage(
        Session.getInstance(new Properties()), new ByteArrayInputStream(r.data()));
  }

  @Test
  void malformedEventGoesToTheDeadLetterTopicAndTheNextEventIsStillDelivered(
      KafkaFixture.Broker kafka) throws Exception {
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce("{\"id\": \"broken\", \"severity\": \"critical\", \"summary\": \"Overtemp in the");
      d.produce(Events.critical("good-1", "Overtemp in the engine room: 98.4 °C", "T3 hot"));

      await().atMost(WAIT).until(() -> d.committed() == 2);
      assertThat(sink.received()).hasSize(1);
      List<JsonNode> audit = d.audit();
      assertThat(audit)
          .extracting(a -> a.get("status").asText())
          .containsExactly("invalid", "sent");
      assertThat(audit.get(0).get("offset").asLong()).isZero();
      assertThat(audit.get(0).get("reason").asText()).startsWith("record value is not valid JSON");
      assertThat(audit.get(1).get("queue_id").asText()).isEqualTo(sink.received().get(0).queueId());

      List<ConsumerRecord<byte[], byte[]>> dlq = d.deadLetters();
      assertThat(dlq).hasSize(1);
      ConsumerRecord<byte[], byte[]> dead = dlq.get(0);
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_TOPIC)).isEqualTo(d.topic);
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_PARTITION)).isEqualTo("0");
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("0");
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_STATUS))
          .isEqualTo("invalid");
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_REASON))
          .startsWith("record value is not valid JSON");
      assertThat(new String(dead.value())).startsWith("{\"id\": \"broken\"");
    }
  }

  @Test
  void offsetsAreNotCommittedWhileTheServerRefusesWith4xxAndAreCommittedAfterItRecovers(
      KafkaFixture.Broker kafka) throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String rcptTo(String path) {
            return "451 4.3.0 Temporary lookup failure";
          }
        });
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("retry-1", "Overtemp", "hot"));

      // Several rounds of attempts (max-attempts 2 per round) without a commit.
      await()
          .atMost(WAIT)
          .until(() -> sink.commands().stream().filter(c -> c.startsWith("RCPT")).count() >= 8);
      assertThat(d.committed()).isEqualTo(-1);
      assertThat(sink.received()).isEmpty();
      assertThat(d.audit()).isEmpty();

      sink.behaviour(SmtpSink.POSTFIX);
      await().atMost(WAIT).until(() -> d.committed() == 1);
      assertThat(sink.received()).hasSize(1);
      JsonNode sent = d.audit().get(0);
      assertThat(sent.get("status").asText()).isEqualTo("sent");
      assertThat(sent.get("attempts").asInt()).isGreaterThan(4);
      assertThat(d.deadLetters()).isEmpty();
    }
  }

  @Test
  void permanentRefusalIsAuditedAsRejectedAndDeadLettered(KafkaFixture.Broker kafka)
      throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String rcptTo(String path) {
            return "550 5.1.1 <" + path + ">: Recipient address rejected: User unknown";
          }
        });
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce(Events.info("reject-1", "disk full", ""));
      await().atMost(WAIT).until(() -> d.committed() == 1);
      JsonNode rejected = d.audit().get(0);
      assertThat(rejected.get("status").asText()).isEqualTo("rejected");
      assertThat(rejected.get("reply_code").asInt()).isEqualTo(550);
      assertThat(rejected.get("enhanced_status").asText()).isEqualTo("5.1.1");
      assertThat(rejected.get("attempts").asInt()).isEqualTo(1);
      ConsumerRecord<byte[], byte[]> dead = d.deadLetters().get(0);
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_STATUS))
          .isEqualTo("rejected");
      assertThat(RunningDaemon.header(dead, KafkaDeadLetterSink.HEADER_REASON))
          .contains("550 5.1.1");
    }
  }

  @Test
  void subjectValueWithCrlfBccProducesNoBccHeaderAndNoExtraRecipient(KafkaFixture.Broker kafka)
      throws Exception {
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, greenMailPort(), ConfigFixtures.VALID)) {
      d.produce(Events.info("inject-1", "disk full\r\nBcc: x@evil.example", ""));
      assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
      MimeMessage m = greenMail.getReceivedMessages()[0];
      assertThat(m.getHeader("Bcc")).isNull();
      assertThat(m.getSubject()).isEqualTo("info: disk full Bcc: x@evil.example");
      assertThat(greenMail.getReceivedMessagesForDomain("evil.example")).isEmpty();
      await().atMost(WAIT).until(() -> d.committed() == 1);
      assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }
  }

  @Test
  void bodyValueWithALoneDotLineArrivesAsOneMessageWithTheFullBody(KafkaFixture.Broker kafka)
      throws Exception {
    String smuggling =
        "before\r\n.\r\nMAIL FROM:<evil@evil.example>\r\nRCPT TO:<victim@plant.example>"
            + "\r\nDATA\r\nsmuggled\r\n.\r\nafter\n.\nend";
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID)) {
      d.produce(Events.info("dot-1", "dots", smuggling));
      await().atMost(WAIT).until(() -> d.committed() == 1);
      assertThat(sink.received()).hasSize(1);
      assertThat(sink.commands()).noneMatch(c -> c.contains("evil@evil.example"));
      String body = (String) parse(sink.received().get(0)).getContent();
      assertThat(body.replace("\r\n", "\n"))
          .contains(
              "before\n.\nMAIL FROM:<evil@evil.example>\nRCPT TO:<victim@plant.example>\nDATA\n"
                  + "smuggled\n.\nafter\n.\nend");
    }
  }

  @Test
  void htmlValuesArriveEscaped(KafkaFixture.Broker kafka) throws Exception {
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, greenMailPort(), ConfigFixtures.VALID)) {
      d.produce(Events.critical("html-1", "<script>alert('x')</script>", "a & b"));
      assertThat(greenMail.waitForIncomingEmail(WAIT.toMillis(), 1)).isTrue();
      MimeMessage m = greenMail.getReceivedMessages()[0];
      Multipart parts = (Multipart) m.getContent();
      String html = GreenMailUtil.getBody(parts.getBodyPart(1));
      String decoded = (String) parts.getBodyPart(1).getContent();
      assertThat(decoded)
          .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
          .contains("a &amp; b")
          .doesNotContain("<script>");
      assertThat(html).isNotEmpty();
    }
  }

  @Test
  void backpressurePausesThePartitionAndEverythingArrivesInOrderAfterRecovery(
      KafkaFixture.Broker kafka) throws Exception {
    sink.behaviour(SmtpSink.rcpt(p -> "421 4.3.2 Try again later"));
    String yaml =
        ConfigFixtures.VALID.replace(
            "shutdown-timeout: 5s", "shutdown-timeout: 5s\n  max-queued-per-partition: 3");
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), yaml)) {
      for (int i = 0; i < 20; i++) {
        d.produce(Events.info("order-" + i, "reading " + i, ""));
      }
      await()
          .atMost(WAIT)
          .until(() -> sink.commands().stream().filter(c -> c.startsWith("RCPT")).count() >= 4);
      assertThat(d.committed()).isEqualTo(-1);
      sink.behaviour(SmtpSink.POSTFIX);
      await().atMost(WAIT).until(() -> d.committed() == 20);
      List<String> subjects =
          sink.received().stream()
              .map(
                  r ->
                      r.dataAsString()
                          .lines()
                          .filter(l -> l.startsWith("Subject: "))
                          .findFirst()
                          .orElse(""))
              .toList();
      assertThat(subjects).hasSize(20);
      for (int i = 0; i < 20; i++) {
        assertThat(subjects.get(i)).isEqualTo("Subject: info: reading " + i);
      }
    }
  }

  @Test
  void gracefulStopCommitsWhatIsDoneSoARestartSendsNothingTwice(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "group-restart";
    try (RunningDaemon d =
        RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID, topic, group)) {
      for (int i = 0; i < 5; i++) {
        d.produce(Events.info("restart-" + i, "reading " + i, ""));
      }
      await().atMost(WAIT).until(() -> sink.received().size() == 5);
    }
    try (RunningDaemon again =
        RunningDaemon.start(kafka, dir, sink.port(), ConfigFixtures.VALID, topic, group)) {
      assertThat(again.committed()).isEqualTo(5);
      again.produce(Events.info("restart-5", "reading 5", ""));
      await().atMost(WAIT).until(() -> again.committed() == 6);
      assertThat(sink.received()).hasSize(6);
    }
  }
}

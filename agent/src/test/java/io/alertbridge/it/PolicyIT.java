package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notification policy end to end: alert topic, Kafka Streams policy stage, notification topic,
 * delivery, SMTP server, audit log; a real broker and a real SMTP server.
 */
@ExtendWith(KafkaFixture.class)
class PolicyIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private SmtpSink sink;

  @BeforeEach
  void startSmtp() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stopSmtp() throws Exception {
    sink.close();
  }

  private RunningDaemon start(
      KafkaFixture.Broker kafka, int partitions, String routes, String policy) throws Exception {
    return RunningDaemon.start(
        kafka,
        dir,
        sink.port(),
        PolicyRuns.config(routes, policy),
        RunningDaemon.newTopic(kafka, partitions),
        "group-" + UUID.randomUUID());
  }

  @Test
  void tenThousandReadingsFromFiftySensorsBecomeOneMailPerSensorAndEveryEventIsAudited(
      KafkaFixture.Broker kafka) throws Exception {
    String routes =
        """
        routes:
          - name: sensors
            to: [ops@plant.example]
            template: plain
            group-by: [labels.sensor]
            group-wait: 2s
            group-interval: 10m
        """;
    try (RunningDaemon d = start(kafka, 4, routes, "  max-event-age: 1h\n")) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 10_000; i++) {
        String id = "storm-" + i;
        ids.add(id);
        records.add(PolicyRuns.record(d.topic, PolicyRuns.reading(id, "s" + (i % 50), "firing")));
      }
      RunningDaemon.produce(kafka, records);

      await().atMost(WAIT).until(() -> PolicyRuns.audited(d.audit()).keySet().containsAll(ids));
      // The first window is over: later readings of the same alerts are repeats, not mails.
      Thread.sleep(3000);
      List<SmtpSink.Received> mails = sink.received();
      Map<String, Integer> perSensor = new HashMap<>();
      for (SmtpSink.Received r : mails) {
        MimeMessage m = PolicyRuns.parse(r);
        perSensor.merge(m.getSubject().replaceAll(".*Overtemp at ", ""), 1, Integer::sum);
      }
      assertThat(mails).hasSizeLessThanOrEqualTo(50);
      assertThat(perSensor).hasSize(50).allSatisfy((sensor, n) -> assertThat(n).isEqualTo(1));
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      assertThat(audited.keySet()).containsAll(ids);
      assertThat(audited.values()).as("each event in exactly one line").containsOnly(1);
      List<JsonNode> sent =
          d.audit().stream().filter(l -> l.get("status").asText().equals("sent")).toList();
      assertThat(sent).hasSize(mails.size());
      assertThat(sent).allSatisfy(l -> assertThat(l.get("group").asText()).startsWith("sensors:"));
    }
  }

  @Test
  void oneAlertRepublishedEverySecondIsOneMailAndItsResolveRepliesInTheSameThread(
      KafkaFixture.Broker kafka) throws Exception {
    String routes =
        """
        routes:
          - name: engine
            to: [chief.engineer@plant.example]
            template: overtemp
            group-wait: 1s
            group-interval: 2s
            repeat-interval: 1h
        """;
    try (RunningDaemon d = start(kafka, 1, routes, "  max-event-age: 1h\n")) {
      for (int i = 0; i < 30; i++) {
        d.produce(PolicyRuns.reading("tick-" + i, "t3", "firing").toString());
        Thread.sleep(1000);
      }
      assertThat(sink.received()).hasSize(1);
      MimeMessage first = PolicyRuns.parse(sink.received().get(0));
      assertThat(first.getSubject()).startsWith("[FIRING]");
      d.produce(PolicyRuns.reading("tick-resolved", "t3", "resolved").toString());
      await().atMost(WAIT).until(() -> sink.received().size() == 2);
      MimeMessage resolved = PolicyRuns.parse(sink.received().get(1));
      assertThat(resolved.getSubject()).startsWith("[RESOLVED]");
      assertThat(resolved.getHeader("In-Reply-To")[0]).isEqualTo(first.getMessageID());
      assertThat(resolved.getHeader("References")[0]).isEqualTo(first.getMessageID());
      Thread.sleep(2000);
      assertThat(sink.received()).hasSize(2);
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      for (int i = 0; i < 30; i++) {
        assertThat(audited).containsEntry("tick-" + i, 1);
      }
      assertThat(audited).containsEntry("tick-resolved", 1);
      // One reading is carried by the first mail; those before it (within group-wait) were
      // superseded in it, those after it are repeats.
      assertThat(
              d.audit().stream()
                  .filter(l -> List.of("repeat", "grouped").contains(l.get("reason").asText()))
                  .count())
          .isEqualTo(29);
      assertThat(d.audit().stream().filter(l -> "repeat".equals(l.get("reason").asText())).count())
          .isGreaterThan(20);
    }
  }

  @Test
  void aBacklogOfTwoDayOldEventsIsOneSummaryPerRouteAndNoMailPerEvent(KafkaFixture.Broker kafka)
      throws Exception {
    String routes =
        """
        routes:
          - name: engine
            match: {labels: {room: engine}}
            to: [list:engine-oncall]
            template: overtemp
            group-wait: 0s
          - name: default
            to: [ops@plant.example]
            template: plain
            group-wait: 0s
        """;
    try (RunningDaemon d = start(kafka, 2, routes, "  max-event-age: 1h\n")) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Instant old = Instant.now().minus(Duration.ofDays(2));
      for (int i = 0; i < 200; i++) {
        ObjectNode e = PolicyRuns.reading("old-" + i, "s" + (i % 10), "firing");
        e.put("time", old.plusSeconds(i).toString());
        if (i % 2 == 1) {
          e.putObject("labels").put("room", "hold").put("sensor", "h" + (i % 10));
        }
        records.add(PolicyRuns.record(d.topic, e));
      }
      RunningDaemon.produce(kafka, records);
      await().atMost(WAIT).until(() -> sink.received().size() >= 2);
      Thread.sleep(2000);
      assertThat(sink.received()).hasSize(2);
      Set<String> subjects = new HashSet<>();
      for (SmtpSink.Received r : sink.received()) {
        subjects.add(PolicyRuns.parse(r).getSubject());
      }
      assertThat(subjects)
          .containsExactlyInAnyOrder(
              "[alertbridge] backlog on route engine: 100 old events, 5 alerts still firing",
              "[alertbridge] backlog on route default: 100 old events, 5 alerts still firing");
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      for (int i = 0; i < 200; i++) {
        assertThat(audited).containsEntry("old-" + i, 1);
      }
    }
  }

  @Test
  void beyondFiveMailsPerWindowOneRecipientGetsOneDigestWithTheRest(KafkaFixture.Broker kafka)
      throws Exception {
    String routes =
        """
        routes:
          - name: ops
            to: [ops@plant.example]
            template: plain
            group-wait: 0s
        """;
    String policy = "  max-event-age: 1h\n  max-mails-per-recipient: 5/1m\n";
    try (RunningDaemon d = start(kafka, 2, routes, policy)) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        records.add(PolicyRuns.record(d.topic, PolicyRuns.reading("a-" + i, "x" + i, "firing")));
      }
      RunningDaemon.produce(kafka, records);
      await().atMost(WAIT).until(() -> sink.received().size() == 6);
      Thread.sleep(2000);
      assertThat(sink.received()).hasSize(6);
      String digest = PolicyRuns.parse(sink.received().get(5)).getSubject();
      assertThat(digest).startsWith("[alertbridge] 45 alerts in 45 groups since");
      Set<String> inMails = new HashSet<>();
      for (SmtpSink.Received r : sink.received()) {
        String body = r.dataAsString();
        for (int i = 0; i < 50; i++) {
          if (body.contains("Overtemp at x" + i + "\r\n")
              || body.contains("Overtemp at x" + i + "<")) {
            inMails.add("x" + i);
          }
        }
      }
      assertThat(inMails).hasSize(50);
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      for (int i = 0; i < 50; i++) {
        assertThat(audited).containsEntry("a-" + i, 1);
      }
    }
  }
}

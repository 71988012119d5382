package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the packaged daemon while groups wait for their mail, three times, restarting
 * it each time: every group's mail arrives (a repeat carries the same Message-ID), every event is
 * in the audit log, and the policy stage and delivery end committed to the end of their topics.
 * KillNineIT kills the policy path with one mail per event; this one kills it with many readings
 * per group, inside the group-wait, where the state to restore is the group's.
 */
@ExtendWith(KafkaFixture.class)
class PolicyKillNineIT {
  private static final int SENSORS = 20;

  @TempDir Path dir;

  @Test
  void killNineInTheMiddleOfGroupWindowsLosesNoMailAndNoEvent(KafkaFixture.Broker kafka)
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String topic = RunningDaemon.newTopic(kafka, 3);
    String group = "policy-kill9-" + UUID.randomUUID();
    Path audit = dir.resolve("audit.jsonl");
    String yaml =
        PolicyRuns.config(
                """
                routes:
                  - name: sensors
                    to: [ops@plant.example]
                    template: plain
                    group-by: [labels.sensor]
                    group-wait: 4s
                    group-interval: 10m
                """,
                "  max-event-age: 1h\n")
            // Static membership: a restarted instance takes its partitions and tasks back at once.
            .replace(
                "  poll-timeout: 50ms\n",
                "  poll-timeout: 50ms\n"
                    + "  group-instance-id: plant-box-1\n"
                    + "  properties: {session.timeout.ms: \"10000\"}\n");
    Path config = ConfigFixtures.write(dir, yaml);
    Set<String> ids = new HashSet<>();
    try (SmtpSink sink = SmtpSink.start()) {
      Map<String, String> env =
          ConfigFixtures.env(kafka.bootstrapServers(), topic, group, sink.port(), audit);
      for (int round = 0; round < 3; round++) {
        DaemonProcess d = DaemonProcess.run(dir.resolve("daemon-" + round + ".log"), env, config);
        await().atMost(Duration.ofSeconds(60)).until(() -> d.log().contains("RUNNING"));
        // A new burst for every sensor: each round's groups are new incidents only in round 0;
        // later rounds add readings to groups whose mail may or may not have gone out yet.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          String id = "r" + round + "-" + i;
          ids.add(id);
          records.add(
              PolicyRuns.record(topic, PolicyRuns.reading(id, "s" + (i % SENSORS), "firing")));
        }
        RunningDaemon.produce(kafka, records);
        // Inside the group-wait: the policy state holds the groups, no mail is due yet.
        Thread.sleep(500 + random.nextInt(3000));
        d.kill9();
        System.out.printf(
            "kill -9 #%d (seed %d): %d mails so far%n", round + 1, seed, sink.received().size());
      }
      try (DaemonProcess last = DaemonProcess.run(dir.resolve("daemon-last.log"), env, config)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> auditedIds(audit).containsAll(ids) && mailedSensors(sink).size() == SENSORS);
        new Settled(kafka).awaitSettled(DeliveryPath.POLICY, topic, group, Duration.ofSeconds(120));
        assertThat(last.sigterm(60)).isZero();
      }
      // Every sensor's group was mailed; copies of one notification share its Message-ID.
      Map<String, Set<String>> idsBySensor = new HashMap<>();
      for (SmtpSink.Received r : sink.received()) {
        MimeMessage m = PolicyRuns.parse(r);
        idsBySensor.computeIfAbsent(sensor(m), k -> new HashSet<>()).add(m.getMessageID());
      }
      assertThat(idsBySensor).hasSize(SENSORS);
      assertThat(idsBySensor.values())
          .as("one notification per sensor (seed %d)", seed)
          .allSatisfy(mids -> assertThat(mids).hasSize(1));
      assertThat(auditedIds(audit)).containsAll(ids);
      System.out.printf(
          "%d events, %d mails for %d sensors after 3 kills%n",
          ids.size(), sink.received().size(), SENSORS);
    }
  }

  private static String sensor(MimeMessage m) throws Exception {
    return m.getSubject().replaceAll(".*Overtemp at ", "");
  }

  private static Set<String> mailedSensors(SmtpSink sink) throws Exception {
    Set<String> s = new HashSet<>();
    for (SmtpSink.Received r : sink.received()) {
      s.add(sensor(PolicyRuns.parse(r)));
    }
    return s;
  }

  /** Event ids in the audit; lines cut by kill -9 are not JSON and are skipped. */
  private static Set<String> auditedIds(Path audit) throws Exception {
    Set<String> out = new HashSet<>();
    if (!Files.exists(audit)) {
      return out;
    }
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(audit)) {
      JsonNode l;
      try {
        l = json.readTree(line);
      } catch (Exception e) {
        continue;
      }
      if (l.get("status").asText().equals("uncertain")) {
        continue;
      }
      l.get("event_ids").forEach(id -> out.add(id.asText()));
    }
    return out;
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching {@code policy.enabled} off, on and off again on the same topic and group, with a real
 * broker and SMTP server: each mode starts where the other stopped, and the notifications the
 * policy decided but could not deliver are mailed after switching it off (docs/policy.md).
 */
@ExtendWith(KafkaFixture.class)
class PolicySwitchIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String ROUTES =
      """
      routes:
        - name: ops
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;
  private static final String POLICY_ON = "  max-event-age: 1h\n";
  private static final String POLICY_OFF = "  enabled: false\n";

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

  /** Readings of distinct sensors, so that the policy mails each in a group of its own. */
  private static List<String> produce(
      KafkaFixture.Broker kafka, String topic, String prefix, int n) {
    List<String> ids = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i;
      ids.add(id);
      records.add(PolicyRuns.record(topic, PolicyRuns.reading(id, id, "firing")));
    }
    RunningDaemon.produce(kafka, records);
    return ids;
  }

  /** Event ids of the sent lines from {@code from} on, one entry per line that carries them. */
  private static List<String> mailed(List<JsonNode> audit, int from) {
    List<String> ids = new ArrayList<>();
    for (JsonNode line : audit.subList(from, audit.size())) {
      if (line.get("status").asText().equals("sent")) {
        line.get("event_ids").forEach(id -> ids.add(id.asText()));
      }
    }
    return ids;
  }

  private RunningDaemon start(KafkaFixture.Broker kafka, String policy, String topic, String group)
      throws Exception {
    return RunningDaemon.start(
        kafka, dir, sink.port(), PolicyRuns.config(ROUTES, policy), topic, group);
  }

  @Test
  void eachModeStartsWhereTheOtherStoppedAndTheDirectPathDeliversWhatThePolicyLeft(
      KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "group-" + UUID.randomUUID();

    // Direct: N events, N mails.
    List<String> direct;
    int lines;
    try (RunningDaemon d = start(kafka, POLICY_OFF, topic, group)) {
      direct = produce(kafka, topic, "direct", 4);
      await().atMost(WAIT).until(() -> mailed(d.audit(), 0).size() == 4);
      assertThat(mailed(d.audit(), 0)).containsExactlyInAnyOrderElementsOf(direct);
      lines = d.audit().size();
    }

    // Policy on: only the M new events are mailed, not the N again. Then the server defers
    // everything, so the policy's next notifications wait undelivered on its topic.
    List<String> policy;
    List<String> pending;
    int policyLines;
    try (RunningDaemon d = start(kafka, POLICY_ON, topic, group)) {
      int from = lines;
      policy = produce(kafka, topic, "policy", 3);
      await().atMost(WAIT).until(() -> mailed(d.audit(), from).size() == 3);
      sink.behaviour(
          new SmtpSink.Behaviour() {
            @Override
            public String rcptTo(String path) {
              return "451 4.3.0 Try again later";
            }
          });
      int tried = sink.commands().size();
      pending = produce(kafka, topic, "pending", 2);
      // Each pending notification has been tried at least once: the policy has decided them all.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  sink.commands().subList(tried, sink.commands().size()).stream()
                          .filter(c -> c.startsWith("RCPT"))
                          .count()
                      >= 2);
      assertThat(mailed(d.audit(), from)).containsExactlyInAnyOrderElementsOf(policy);
      policyLines = d.audit().size();
    }

    // Policy off again: the K new events and the pending notifications, nothing else.
    sink.behaviour(SmtpSink.POSTFIX);
    try (RunningDaemon d = start(kafka, POLICY_OFF, topic, group)) {
      List<String> again = produce(kafka, topic, "again", 3);
      List<String> expected = new ArrayList<>(again);
      expected.addAll(pending);
      await().atMost(WAIT).until(() -> mailed(d.audit(), policyLines).size() >= 5);
      Thread.sleep(2000); // anything mailed twice would show within moments
      assertThat(mailed(d.audit(), policyLines)).containsExactlyInAnyOrderElementsOf(expected);
      Set<String> all = new HashSet<>(mailed(d.audit(), 0));
      assertThat(all).containsAll(direct).containsAll(policy).containsAll(pending);
      assertThat(mailed(d.audit(), 0)).doesNotHaveDuplicates();
    }
  }
}

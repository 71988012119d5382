package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances in one consumer group, each reading some of the alert topic's partitions, with one
 * group's alerts spread over all of them: the policy stage handles each group in one place, so the
 * recipients get one mail per group window, not one per instance.
 */
@ExtendWith(KafkaFixture.class)
class PolicyTwoInstancesIT {
  private static final int SITES = 5;

  @TempDir Path dir;

  @Test
  void twoInstancesMailEachGroupOncePerWindow(KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 4);
    String group = "policy-two-" + UUID.randomUUID();
    String yaml =
        PolicyRuns.config(
            """
            routes:
              - name: sites
                to: [ops@plant.example]
                template: plain
                group-by: [labels.site]
                group-wait: 3s
                group-interval: 10m
            """,
            "  max-event-age: 1h\n");
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon a =
            RunningDaemon.start(kafka, dir.resolve("a"), sink.port(), yaml, topic, group);
        RunningDaemon b =
            RunningDaemon.start(kafka, dir.resolve("b"), sink.port(), yaml, topic, group)) {
      // Let both join the groups before the storm, so the work is shared.
      Thread.sleep(8000);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 400; i++) {
        String id = "two-" + i;
        ids.add(id);
        var e = PolicyRuns.reading(id, "t" + (i % 7), "firing");
        e.putObject("labels")
            .put("room", "engine")
            .put("site", "site-" + (i % SITES))
            .put("sensor", "t" + (i % 7));
        records.add(PolicyRuns.record(topic, e));
      }
      RunningDaemon.produce(kafka, records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> audited(a, b).keySet().containsAll(ids) && sink.received().size() >= SITES);
      Thread.sleep(4000);
      assertThat(sink.received()).hasSize(SITES);
      Map<String, Integer> audited = audited(a, b);
      assertThat(audited.keySet()).containsAll(ids);
      assertThat(audited.values()).containsOnly(1);
      // Both instances took part: each delivered or audited some of it.
      assertThat(a.audit()).isNotEmpty();
      assertThat(b.audit()).isNotEmpty();
    }
  }

  private static Map<String, Integer> audited(RunningDaemon a, RunningDaemon b) {
    List<JsonNode> all = new ArrayList<>(a.audit());
    all.addAll(b.audit());
    return new HashMap<>(PolicyRuns.audited(all));
  }
}

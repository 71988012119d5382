package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances in one consumer group, where every route mails one ops list (issue 16): the
 * groups, keyed by route and group key, spread over all instances, so each does a share of the
 * grouping; the storm guard, keyed by recipient after a repartition, still counts the list's mails
 * exactly; and every alert ends up in exactly one mail or digest.
 */
@ExtendWith(KafkaFixture.class)
class PolicyInstancesIT {
  private static final int EVENTS = 3_000;
  private static final int SITES = 40;
  private static final List<String> LINES = List.of("a", "b", "c");
  private static final int MAILS_PER_WINDOW = 20;

  @TempDir Path dir;

  @Test
  void twoInstancesEachGroupAShareAndTheOpsListGetsExactlyTwentyMailsPerWindow(
      KafkaFixture.Broker kafka) throws Exception {
    List<Double> shares = run(kafka, 2);
    assertThat(shares)
        .as("each instance's share of the grouping")
        .allSatisfy(s -> assertThat(s).isBetween(0.2, 0.8));
  }

  @Test
  void threeInstancesEachGroupAShareAndTheOpsListGetsExactlyTwentyMailsPerWindow(
      KafkaFixture.Broker kafka) throws Exception {
    List<Double> shares = run(kafka, 3);
    assertThat(shares)
        .as("each instance's share of the grouping")
        .allSatisfy(s -> assertThat(s).isPositive());
  }

  /** Runs the storm on {@code n} instances, asserts what holds for any n; returns the shares. */
  private List<Double> run(KafkaFixture.Broker kafka, int n) throws Exception {
    StringBuilder routes = new StringBuilder("routes:\n");
    for (String line : LINES) {
      routes.append(
          """
            - name: line-%s
              match: {labels: {line: %s}}
              to: [ops@plant.example]
              template: plain
              group-by: [labels.site]
              group-wait: 5s
              group-interval: 20s
          """
              .formatted(line, line));
    }
    String policy =
        "  max-event-age: 1h\n  max-mails-per-recipient: " + MAILS_PER_WINDOW + "/30s\n";
    String yaml = PolicyScale.withHttp(PolicyRuns.config(routes.toString(), policy));
    String topic = RunningDaemon.newTopic(kafka, 6);
    String group = "instances-" + n + "-" + UUID.randomUUID();
    List<RunningDaemon> daemons = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start()) {
      try {
        for (int i = 0; i < n; i++) {
          daemons.add(
              RunningDaemon.start(kafka, dir.resolve("d" + i), sink.port(), yaml, topic, group));
        }
        // Every instance in both groups before the first event, so the work is shared.
        PolicyScale.awaitMembers(kafka, group, n);
        long start = System.nanoTime();
        PolicyScale.produce(
            kafka,
            EVENTS,
            i -> {
              var e = PolicyRuns.reading("ops-" + i, "s" + i, "firing");
              e.putObject("labels")
                  .put("room", "engine")
                  .put("line", LINES.get(i % LINES.size()))
                  .put("site", "site-" + (i / LINES.size()) % SITES)
                  .put("sensor", "s" + i);
              return PolicyRuns.record(topic, e);
            });
        List<Path> audit = daemons.stream().map(d -> d.auditFile).toList();
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    PolicyScale.audited(audit).size() == EVENTS
                        && PolicyScale.mails(sink).stream().anyMatch(PolicyScale.Mail::isDigest));
        System.out.printf(
            "%d instances: all audited and a digest in %s%n",
            n, Duration.ofNanos(System.nanoTime() - start));
        assertMailedOnceWithinTheGuard(sink, audit);
        List<Double> grouped = new ArrayList<>();
        for (RunningDaemon d : daemons) {
          grouped.add(PolicyScale.metric(d, "alertbridge_policy_events_grouped_total"));
          assertThat(d.isRunning()).isTrue();
        }
        double total = grouped.stream().mapToDouble(Double::doubleValue).sum();
        List<Double> shares = grouped.stream().map(g -> g / total).toList();
        System.out.printf("%d instances: events grouped %s, shares %s%n", n, grouped, shares);
        assertThat(total).as("events grouped, all instances").isGreaterThanOrEqualTo(EVENTS);
        return shares;
      } finally {
        daemons.forEach(RunningDaemon::close);
      }
    }
  }

  private static void assertMailedOnceWithinTheGuard(SmtpSink sink, List<Path> audit)
      throws Exception {
    List<PolicyScale.Mail> mails = PolicyScale.mails(sink);
    List<PolicyScale.Mail> digests = mails.stream().filter(PolicyScale.Mail::isDigest).toList();
    long groupMails = mails.size() - digests.size();
    System.out.printf(
        "%d group mails, digests %s%n",
        groupMails, digests.stream().map(PolicyScale.Mail::subject).toList());
    assertThat(sink.received())
        .allSatisfy(r -> assertThat(r.recipients()).containsExactly("ops@plant.example"));
    // 120 groups start within the first window: each window is 20 mails, then its digest.
    assertThat(digests).isNotEmpty();
    assertThat(groupMails).isEqualTo((long) MAILS_PER_WINDOW * digests.size());

    Map<String, Integer> audited = PolicyScale.audited(audit);
    assertThat(audited).hasSize(EVENTS);
    assertThat(audited.values()).as("each event in exactly one audit line").containsOnly(1);
    Set<String> groupMailIds =
        mails.stream()
            .filter(m -> !m.isDigest())
            .map(PolicyScale.Mail::messageId)
            .collect(Collectors.toSet());
    Set<String> digestIds =
        digests.stream().map(PolicyScale.Mail::messageId).collect(Collectors.toSet());
    // Each alert (one event each) is in one mail: a sent line of a group mail the list got, or a
    // grouped line naming a digest (or the group mail that counted it).
    for (JsonNode l : PolicyScale.lines(audit)) {
      if (l.get("event_ids").isEmpty()) {
        continue;
      }
      String messageId = l.get("message_id").asText();
      if ("sent".equals(l.get("status").asText())) {
        assertThat(groupMailIds).as("sent line %s", l).contains(messageId);
      } else {
        assertThat(l.get("reason").asText()).as("line %s", l).isEqualTo("grouped");
        assertThat(digestIds).as("grouped line %s", l).contains(messageId);
      }
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy stage under the two loads its bounds are for (issue 16), on a real broker: a storm of
 * distinct alerts for one recipient, and one group of as many alerts. Either way the daemon stays
 * up, every event is audited exactly once, and no record on the policy's topics (its event, mail
 * and notification topics and every changelog) is larger than {@link PolicyScale#MAX_RECORD_BYTES}.
 *
 * <p>The benchmark runs 100,000 alerts. The big group runs {@value #ALERTS} here too (about 75 s on
 * a shared two-core machine: 100,000 events grouped in about 53 s). The storm runs {@value
 * #STORM_ALERTS} (about 100 s): there every event is a group of its own whose mail is due at once,
 * and the grouping step commits its transaction after each such mail, so it groups only about
 * 70–220 events per second on that machine, and 100,000 would take 8 to 20 minutes. {@code
 * -Dalertbridge.it.storm-alerts=100000} (and {@code -Dalertbridge.it.alerts}) set the counts.
 */
@ExtendWith(KafkaFixture.class)
class PolicyStormIT {
  static final int ALERTS = 100_000;
  static final int STORM_ALERTS = 15_000;
  private static final int N = Integer.getInteger("alertbridge.it.alerts", ALERTS);
  private static final int STORM = Integer.getInteger("alertbridge.it.storm-alerts", STORM_ALERTS);
  private static final Duration WAIT = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void aStormOfDistinctAlertsForOneRecipientIsThirtyMailsPerWindowThenADigest(
      KafkaFixture.Broker kafka) throws Exception {
    String routes =
        """
        routes:
          - name: ops
            to: [ops@plant.example]
            template: plain
            group-wait: 0s
        """;
    String policy = "  max-event-age: 1h\n  max-mails-per-recipient: 30/30s\n";
    String group = "storm-" + UUID.randomUUID();
    String topic = RunningDaemon.newTopic(kafka, 4);
    String yaml = PolicyScale.withHttp(PolicyRuns.config(routes, policy));
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), yaml, topic, group)) {
      long start = System.nanoTime();
      Duration produced =
          PolicyScale.produce(
              kafka,
              STORM,
              i -> PolicyRuns.record(topic, PolicyRuns.reading("storm-" + i, "s" + i, "firing")));
      List<Path> audit = List.of(d.auditFile);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(3))
          .until(() -> PolicyScale.audited(audit).size() == STORM && mailedOrFolded(sink) == STORM);
      System.out.printf(
          "storm: %d alerts produced in %s, all audited and mailed in %s%n",
          STORM, produced, Duration.ofNanos(System.nanoTime() - start));

      List<PolicyScale.Mail> mails = PolicyScale.mails(sink);
      List<PolicyScale.Mail> digests = mails.stream().filter(PolicyScale.Mail::isDigest).toList();
      long groupMails = mails.size() - digests.size();
      System.out.printf("storm: %d group mails, digests %s%n", groupMails, subjects(digests));
      assertThat(sink.received())
          .allSatisfy(r -> assertThat(r.recipients()).containsExactly("ops@plant.example"));
      // Every window ended in a digest (the storm outlasts its 30 mails), and had exactly 30.
      assertThat(digests).isNotEmpty();
      assertThat(groupMails).isEqualTo(30L * digests.size());

      Map<String, Integer> audited = PolicyScale.audited(audit);
      assertThat(audited).hasSize(STORM);
      assertThat(audited.values()).as("each event in exactly one audit line").containsOnly(1);
      Set<String> digestIds =
          digests.stream().map(PolicyScale.Mail::messageId).collect(Collectors.toSet());
      List<JsonNode> lines = PolicyScale.lines(audit);
      List<JsonNode> folded =
          lines.stream().filter(l -> "grouped".equals(l.get("reason").asText())).toList();
      assertThat(folded)
          .as("one grouped line per folded alert, naming its digest")
          .hasSize(digests.stream().mapToInt(PolicyScale.Mail::digestAlerts).sum())
          .allSatisfy(
              l -> {
                assertThat(l.get("status").asText()).isEqualTo("suppressed");
                assertThat(digestIds).contains(l.get("message_id").asText());
              });
      assertThat(lines.stream().filter(l -> "sent".equals(l.get("status").asText())))
          .hasSize(mails.size());

      PolicyScale.assertNoStateRecordOverBound(kafka, DeliveryPath.streamsGroup(group));
      assertThat(d.isRunning()).isTrue();
      assertThat(PolicyScale.get(d.httpBase() + "/healthz").statusCode()).isEqualTo(200);
      assertThat(sink.received()).as("nothing more came meanwhile").hasSize(mails.size());
    }
  }

  @Test
  void oneGroupOfAHundredThousandAlertsListsFiveHundredPerMailAndCountsTheRest(
      KafkaFixture.Broker kafka) throws Exception {
    String routes =
        """
        routes:
          - name: site
            to: [ops@plant.example]
            template: big
            group-by: [labels.site]
            group-wait: 5s
            group-interval: 10s
        """;
    Files.createDirectories(dir.resolve("t"));
    Files.writeString(
        dir.resolve("t/big.txt"),
        "{% for a in alerts %}alert {{ a.labels.sensor }}\n{% endfor %}"
            + "listed {{ alerts | length }}, unlisted {{ unlisted }}\n");
    String yaml =
        PolicyScale.withHttp(PolicyRuns.config(routes, "  max-event-age: 1h\n"))
            .replace(
                "templates:\n",
                "templates:\n  big: {subject: \"site {{ event.labels.site }}\", text: t/big.txt}\n");
    String group = "big-" + UUID.randomUUID();
    String topic = RunningDaemon.newTopic(kafka, 4);
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), yaml, topic, group)) {
      long start = System.nanoTime();
      Duration produced =
          PolicyScale.produce(
              kafka,
              N,
              i -> PolicyRuns.record(topic, PolicyRuns.reading("big-" + i, "s" + i, "firing")));
      List<Path> audit = List.of(d.auditFile);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(3))
          .until(
              () ->
                  PolicyScale.audited(audit).size() == N
                      && PolicyScale.mails(sink).stream().anyMatch(m -> counted(m) == N));
      System.out.printf(
          "big group: %d alerts produced in %s, all audited and mailed in %s%n",
          N, produced, Duration.ofNanos(System.nanoTime() - start));

      List<PolicyScale.Mail> mails = PolicyScale.mails(sink);
      System.out.printf(
          "big group: %d mails, %s%n",
          mails.size(), mails.stream().map(PolicyScale.Mail::subject).toList());
      assertThat(mails)
          .allSatisfy(
              m -> {
                assertThat(m.subject()).isEqualTo("site ship-1");
                int listed = listed(m);
                assertThat(listed).as("alerts a mail lists").isBetween(1, 500);
                assertThat(m.text().lines().filter(l -> l.startsWith("alert s"))).hasSize(listed);
              });
      // The last mail counts the whole group: what it lists (500 at most, fewer when their
      // readings fill the record's budget) plus what it counts.
      assertThat(counted(mails.get(mails.size() - 1))).isEqualTo(N);

      Map<String, Integer> audited = PolicyScale.audited(audit);
      assertThat(audited).hasSize(N);
      assertThat(audited.values()).as("each event in exactly one audit line").containsOnly(1);
      Set<String> mailIds =
          mails.stream().map(PolicyScale.Mail::messageId).collect(Collectors.toSet());
      assertThat(PolicyScale.lines(audit))
          .filteredOn(l -> "grouped".equals(l.get("reason").asText()))
          .as("events neither listed nor carried name the mail that counted them")
          .allSatisfy(l -> assertThat(mailIds).contains(l.get("message_id").asText()));

      PolicyScale.assertNoStateRecordOverBound(kafka, DeliveryPath.streamsGroup(group));
      assertThat(d.isRunning()).isTrue();
      assertThat(PolicyScale.get(d.httpBase() + "/healthz").statusCode()).isEqualTo(200);
    }
  }

  /** Group mails plus the alerts the digests count: every alert once, when nothing is lost. */
  private static long mailedOrFolded(SmtpSink sink) throws Exception {
    long n = 0;
    for (PolicyScale.Mail m : PolicyScale.mails(sink)) {
      n += m.isDigest() ? m.digestAlerts() : 1;
    }
    return n;
  }

  private static final Pattern COUNTS = Pattern.compile("listed (\\d+), unlisted (\\d+)");

  private static int listed(PolicyScale.Mail m) {
    Matcher c = COUNTS.matcher(m.text());
    assertThat(c.find()).as("counts in:\n%s", m.text()).isTrue();
    return Integer.parseInt(c.group(1));
  }

  /** The group's size as a mail states it: what it lists plus what it counts. */
  private static int counted(PolicyScale.Mail m) {
    Matcher c = COUNTS.matcher(m.text());
    return c.find() ? Integer.parseInt(c.group(1)) + Integer.parseInt(c.group(2)) : -1;
  }

  private static List<String> subjects(List<PolicyScale.Mail> mails) {
    return mails.stream().map(PolicyScale.Mail::subject).toList();
  }
}

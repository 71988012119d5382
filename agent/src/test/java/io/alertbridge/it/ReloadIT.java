package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon reloaded with SIGHUP while mail flows: later mail follows the new config,
 * nothing is lost, no consumer group rebalances; an invalid file keeps the last good config.
 */
@ExtendWith(KafkaFixture.class)
class ReloadIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** What the daemon logs when its delivery consumer or its Streams application rebalances. */
  private static final Pattern REBALANCE =
      Pattern.compile("partitions (assigned|revoked)|-> (REBALANCING|PARTITIONS_)");

  @TempDir Path dir;

  @Test
  void sighupAppliesANewRecipientAndSubjectWithoutARebalanceOnThePolicyPath(
      KafkaFixture.Broker kafka) throws Exception {
    String yaml =
        PolicyRuns.config(
            """
            routes:
              - name: default
                to: [ops@plant.example]
                template: plain
                group-wait: 0s
            """,
            "  enabled: true\n");
    reloadWhileMailFlows(kafka, yaml, List.of("group-", "group-.state"));
  }

  @Test
  void sighupAppliesANewRecipientAndSubjectOnTheDirectPath(KafkaFixture.Broker kafka)
      throws Exception {
    reloadWhileMailFlows(kafka, ConfigFixtures.VALID, List.of("group-"));
  }

  private void reloadWhileMailFlows(KafkaFixture.Broker kafka, String yaml, List<String> groups)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "group-" + UUID.randomUUID();
    int http = EmbeddedKafka.freePort();
    Path audit = dir.resolve("audit.jsonl");
    Path config =
        ConfigFixtures.write(
            dir, yaml.replace("audit:\n", "http:\n  listen: 127.0.0.1:" + http + "\naudit:\n"));
    List<String> ids = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start();
        SmtpSink replacement = SmtpSink.start()) {
      DaemonProcess d =
          DaemonProcess.run(
              dir.resolve("daemon.log"),
              ConfigFixtures.env(kafka.bootstrapServers(), topic, group, sink.port(), audit),
              config);
      try {
        RunningDaemon.produceFresh(kafka, topic, "before", 5, ids);
        await().atMost(WAIT).until(() -> sink.received().size() == 5);
        double started = metric(http, "alertbridge_config_last_reload_success_timestamp_seconds");
        List<String> groupIds = groups.stream().map(g -> g.replace("group-", group)).toList();
        Map<String, Set<String>> members = members(kafka, groupIds);
        int rebalances = count(REBALANCE, d.log());
        // The start's own assignment is logged: the pattern sees a rebalance when there is one.
        assertThat(rebalances).isPositive();
        assertThat(members.values()).allSatisfy(m -> assertThat(m).hasSize(1));

        // Mail under way while the file changes and the signal arrives.
        RunningDaemon.produceFresh(kafka, topic, "during", 20, ids);
        edit(config, "to: [ops@plant.example]", "to: [night.shift@plant.example]");
        edit(config, "subject: \"{{ event.severity", "subject: \"RELOADED {{ event.severity");
        // Another server: the running one drains what it has under way, then closes.
        edit(config, "port: ${SMTP_PORT:-25}", "port: " + replacement.port());
        d.sighup();
        await().atMost(WAIT).until(() -> d.log().contains("configuration reloaded"));
        assertThat(d.log()).contains("SMTP server 127.0.0.1:" + sink.port() + " removed");
        RunningDaemon.produceFresh(kafka, topic, "after", 5, ids);
        await()
            .atMost(WAIT)
            .until(() -> sink.received().size() + replacement.received().size() == 30);
        // Mail of events read after the reload: new recipient, new subject, new server.
        assertThat(mailsOf(replacement, "after-"))
            .hasSize(5)
            .allSatisfy(
                r -> assertThat(r.recipients()).containsExactly("night.shift@plant.example"))
            .allSatisfy(r -> assertThat(subject(r)).startsWith("RELOADED"));
        assertThat(mailsOf(sink, "after-")).isEmpty();
        assertThat(mailsOf(sink, "before-"))
            .hasSize(5)
            .allSatisfy(r -> assertThat(r.recipients()).containsExactly("ops@plant.example"));
        assertThat(metric(http, "alertbridge_config_last_reload_successful")).isEqualTo(1.0);
        assertThat(metric(http, "alertbridge_config_last_reload_success_timestamp_seconds"))
            .isGreaterThan(started);

        // An invalid file: both problems logged, the last good config kept, the metric 0.
        String good = Files.readString(config);
        edit(config, "template: plain", "template: missing");
        edit(config, "to: [night.shift@plant.example]", "to: [list:nobody]");
        d.sighup();
        await().atMost(WAIT).until(() -> d.log().contains("configuration reload failed"));
        assertThat(d.log())
            .contains(
                "routes[",
                "].template: must name a template defined under templates",
                "].to[0]: must name a list defined under lists");
        assertThat(metric(http, "alertbridge_config_last_reload_successful")).isZero();
        RunningDaemon.produceFresh(kafka, topic, "invalid", 5, ids);
        await().atMost(WAIT).until(() -> mailsOf(replacement, "invalid-").size() == 5);
        assertThat(mailsOf(replacement, "invalid-"))
            .allSatisfy(
                r -> assertThat(r.recipients()).containsExactly("night.shift@plant.example"))
            .allSatisfy(r -> assertThat(subject(r)).startsWith("RELOADED"));
        assertThat(sink.received().size() + replacement.received().size()).isEqualTo(35);
        assertThat(d.isAlive()).isTrue();

        assertThat(count(REBALANCE, d.log())).as("rebalances logged").isEqualTo(rebalances);
        assertThat(members(kafka, groupIds)).as("group members").isEqualTo(members);
        assertThat(Files.readString(config)).isNotEqualTo(good);
        assertThat(d.sigterm(60)).isZero();
      } finally {
        d.kill9();
      }
      assertThat(sentEventIds(audit)).isEqualTo(new TreeSet<>(ids));
    }
  }

  /** The mails whose subject names a reading of an alert whose id starts with {@code prefix}. */
  private static List<SmtpSink.Received> mailsOf(SmtpSink sink, String prefix) {
    return sink.received().stream().filter(r -> subject(r).contains("reading " + prefix)).toList();
  }

  private static String subject(SmtpSink.Received r) {
    try {
      return PolicyRuns.parse(r).getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void edit(Path config, String from, String to) throws Exception {
    String yaml = Files.readString(config);
    assertThat(yaml).contains(from);
    Files.writeString(config, yaml.replace(from, to));
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Each group's member ids: a member that left and joined again would have a new one. */
  private static Map<String, Set<String>> members(KafkaFixture.Broker kafka, List<String> groups)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      Map<String, Set<String>> members = new java.util.TreeMap<>();
      for (var e :
          admin.describeConsumerGroups(groups).all().get(30, TimeUnit.SECONDS).entrySet()) {
        Set<String> ids = new TreeSet<>();
        e.getValue().members().stream().map(MemberDescription::consumerId).forEach(ids::add);
        members.put(e.getKey(), ids);
      }
      return members;
    }
  }

  private static double metric(int port, String name) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(r.body());
    assertThat(m.find()).as(name + " in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The event ids of every mail the audit log records as sent. */
  private static Set<String> sentEventIds(Path audit) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> ids = new TreeSet<>();
    for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
      JsonNode l = json.readTree(line);
      if (l.get("status").asText().equals("sent")) {
        l.get("event_ids").forEach(id -> ids.add(id.asText()));
      }
    }
    return ids;
  }
}

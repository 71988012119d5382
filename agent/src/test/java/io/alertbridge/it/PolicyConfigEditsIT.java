package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration edits across a restart of the same instance (same consumer group, same policy state
 * topic, so the groups come back from the changelogs), with a real broker and SMTP server and an
 * alert topic of four partitions, so a group whose key changed would land on another task (issue
 * 16, docs/policy.md "Configuration edits"). Every route reminds every 5 s: a group the edit left
 * behind would show within a few repeat intervals.
 */
@ExtendWith(KafkaFixture.class)
class PolicyConfigEditsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int PARTITIONS = 4;
  private static final String OPS = "ops@plant.example";
  private static final String ONCALL = "oncall@plant.example";
  private static final String CARGO = "cargo@plant.example";
  private static final String POLICY = "  max-event-age: 1h\n";
  private static final String TIMINGS =
      """
          template: overtemp
          group-wait: 1s
          group-interval: 2s
          repeat-interval: 5s
      """;

  /** Three repeat intervals: a reminder of a group left open would arrive in this time. */
  private static final long QUIET_MILLIS = 15_000;

  /** After the closing lines, for a notification decided before the stop to be delivered. */
  private static final long SETTLE_MILLIS = 2_000;

  @TempDir Path dir;
  private SmtpSink sink;
  private String topic;
  private String group;

  @BeforeEach
  void startSmtp(KafkaFixture.Broker kafka) throws Exception {
    sink = SmtpSink.start();
    topic = RunningDaemon.newTopic(kafka, PARTITIONS);
    group = "edits-" + UUID.randomUUID();
  }

  @AfterEach
  void stopSmtp() throws Exception {
    sink.close();
  }

  @Test
  void reorderedRoutesWithASharedRecipientKeepTheThreadAndStopRemindingOnceResolved(
      KafkaFixture.Broker kafka) throws Exception {
    String routeA =
        "  - name: a\n    match: {labels: {room: hold}}\n    to: [" + OPS + "]\n" + TIMINGS;
    String before =
        "routes:\n"
            + routeA
            + "  - name: b\n    match: {labels: {room: engine}}\n    to: ["
            + ONCALL
            + "]\n"
            + TIMINGS;
    String after =
        "routes:\n  - name: b\n    match: {labels: {room: engine}}\n    to: ["
            + ONCALL
            + ", "
            + OPS
            + "]\n"
            + TIMINGS
            + routeA;
    Mail first;
    try (RunningDaemon d = start(kafka, before)) {
      produce(d, PolicyRuns.reading("h3-firing", "t1", "firing"));
      await().atMost(WAIT).until(() -> !mails(0, ONCALL).isEmpty());
      first = mails(0, ONCALL).get(0);
    }
    assertThat(first.subject()).startsWith("[FIRING]");
    assertThat(first.inReplyTo()).isNull();
    assertThat(mails(0, OPS)).isEmpty();

    try (RunningDaemon d = start(kafka, after)) {
      produce(d, PolicyRuns.reading("h3-resolved", "t1", "resolved"));
      await().atMost(WAIT).until(() -> resolved(ONCALL).isPresent() && resolved(OPS).isPresent());
      Mail toOncall = resolved(ONCALL).orElseThrow();
      assertThat(toOncall.inReplyTo()).as("same thread as before the edit").isEqualTo(first.id());
      assertThat(toOncall.references()).isEqualTo(first.id());
      int mailed = sink.received().size();

      Thread.sleep(QUIET_MILLIS);
      assertThat(sink.received()).as("no reminder after the resolution").hasSize(mailed);
      assertThat(mails(0, ONCALL))
          .as("every mail to %s after the first is in its thread", ONCALL)
          .allSatisfy(
              m -> assertThat(m.id().equals(first.id()) || isReply(m, first)).as("%s", m).isTrue());
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      assertThat(audited).containsKeys("h3-firing", "h3-resolved");
      assertThat(reasons(d.audit())).doesNotContain("route-removed", "regrouped");
    }
  }

  @Test
  void aRemovedRoutesAlertsAreEachAuditedOnceAndNeverMailedAgain(KafkaFixture.Broker kafka)
      throws Exception {
    String keep = "  - name: keep\n    match: {labels: {room: hold}}\n    to: [" + OPS + "]\n";
    String routeC =
        """
          - name: c
            match: {labels: {room: engine}}
            to: [%s]
            template: overtemp
            group-by: [labels.site]
            group-wait: 20s
            group-interval: 2s
            repeat-interval: 5s
        """
            .formatted(CARGO);
    String before = "routes:\n" + routeC + keep + TIMINGS;
    String after = "routes:\n" + keep + TIMINGS;
    try (RunningDaemon d = start(kafka, before)) {
      produce(d, atSite("c-x1a", "x1a", "site-1"), atSite("c-x1b", "x1b", "site-1"));
      await().atMost(WAIT).until(() -> !mails(0, CARGO).isEmpty());
      // site-2's group waits 20 s for its first mail: it is still pending when the daemon stops.
      produce(d, atSite("c-x2", "x2", "site-2"));
      new Settled(kafka).awaitSettled(DeliveryPath.POLICY, topic, group, WAIT);
    }
    assertThat(bodies()).as("site-2 was not mailed before the stop").noneMatch(pendingX2());

    try (RunningDaemon d = start(kafka, after)) {
      await().atMost(WAIT).until(() -> linesFor(d.audit(), "route-removed").size() >= 3);
      Thread.sleep(SETTLE_MILLIS);
      int toCargo = mails(0, CARGO).size();
      ObjectNode hold = PolicyRuns.reading("keep-1", "h1", "firing");
      ((ObjectNode) hold.get("labels")).put("room", "hold");
      produce(d, hold);
      await().atMost(WAIT).until(() -> !mails(0, OPS).isEmpty());

      Thread.sleep(QUIET_MILLIS);
      assertThat(mails(0, CARGO)).as("nothing more for route c").hasSize(toCargo);
      assertThat(bodies()).noneMatch(pendingX2());
      List<JsonNode> removed = linesFor(d.audit(), "route-removed");
      assertThat(removed)
          .allSatisfy(
              l -> {
                assertThat(l.get("status").asText()).isEqualTo("suppressed");
                assertThat(l.get("route").asText()).isEqualTo("c");
              });
      assertThat(eventIds(removed))
          .as("one line per alert of the removed route")
          .containsExactlyInAnyOrder("c-x1a", "c-x1b", "c-x2");
      Map<String, Integer> audited = PolicyRuns.audited(d.audit());
      assertThat(audited).containsKeys("c-x1a", "c-x1b", "keep-1");
      assertThat(audited).as("the pending event only in its closing line").containsEntry("c-x2", 1);
    }
  }

  @Test
  void aChangedGroupByClosesTheOldGroupAndItsResolutionIsMailedInANewThread(
      KafkaFixture.Broker kafka) throws Exception {
    String bySite = "routes:\n  - name: d\n    to: [" + OPS + "]\n    group-by: [labels.site]\n";
    String bySensor = bySite.replace("labels.site", "labels.sensor");
    Mail root;
    String oldGroup;
    try (RunningDaemon d = start(kafka, bySite + TIMINGS)) {
      produce(d, atSite("d-s1-1", "s1", "site-1"), atSite("d-s2-1", "s2", "site-1"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  PolicyRuns.audited(d.audit()).keySet().containsAll(List.of("d-s1-1", "d-s2-1")));
      root = mails(0, OPS).get(0);
      oldGroup = sent(d.audit()).get(0).get("group").asText();
    }

    try (RunningDaemon d = start(kafka, bySensor + TIMINGS)) {
      await().atMost(WAIT).until(() -> linesFor(d.audit(), "regrouped").size() >= 2);
      Thread.sleep(SETTLE_MILLIS);
      int from = sink.received().size();
      int auditFrom = d.audit().size();
      // The alert moved to its new group knowing it was mailed as firing: its resolution is
      // news, and is mailed (in the new group's thread), not taken for an unknown alert's.
      ObjectNode resolved = atSite("d-s1-2", "s1", "site-1");
      resolved.put("status", "resolved");
      produce(d, resolved);
      await()
          .atMost(WAIT)
          .until(
              () -> mails(from, OPS).stream().anyMatch(m -> m.subject().startsWith("[RESOLVED]")));
      Mail fresh =
          mails(from, OPS).stream()
              .filter(m -> m.subject().startsWith("[RESOLVED]"))
              .findFirst()
              .orElseThrow();
      assertThat(fresh.subject()).endsWith("Overtemp at s1");
      assertThat(fresh.id()).isNotEqualTo(root.id());

      Thread.sleep(QUIET_MILLIS);
      assertThat(mails(from, OPS))
          .as("after the edit no reminder of the old group: nothing answers its thread")
          .allSatisfy(m -> assertThat(isReply(m, root)).as("%s", m).isFalse())
          .allSatisfy(m -> assertThat(m.subject()).doesNotContain("[FIRING:2]"));
      List<JsonNode> regrouped = linesFor(d.audit(), "regrouped");
      assertThat(eventIds(regrouped)).containsExactlyInAnyOrder("d-s1-1", "d-s2-1");
      assertThat(regrouped)
          .allSatisfy(
              l -> {
                assertThat(l.get("status").asText()).isEqualTo("suppressed");
                assertThat(l.get("group").asText()).isEqualTo(oldGroup);
              });
      List<JsonNode> since = d.audit();
      since = since.subList(auditFrom, since.size());
      assertThat(sent(since))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.get("group").asText()).isNotEqualTo(oldGroup));
      assertThat(PolicyRuns.audited(d.audit())).containsKeys("d-s1-1", "d-s2-1", "d-s1-2");
    }
  }

  private RunningDaemon start(KafkaFixture.Broker kafka, String routes) throws Exception {
    return RunningDaemon.start(
        kafka, dir, sink.port(), PolicyRuns.config(routes, POLICY), topic, group);
  }

  private static void produce(RunningDaemon d, ObjectNode... events) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (ObjectNode e : events) {
      records.add(PolicyRuns.record(d.topic, e));
    }
    RunningDaemon.produce(d.broker, records);
  }

  private static ObjectNode atSite(String id, String sensor, String site) {
    ObjectNode e = PolicyRuns.reading(id, sensor, "firing");
    ((ObjectNode) e.get("labels")).put("site", site);
    return e;
  }

  /** A mail as a recipient sees it. */
  private record Mail(String to, String subject, String id, String inReplyTo, String references) {
    static Mail of(SmtpSink.Received r) throws Exception {
      MimeMessage m = PolicyRuns.parse(r);
      return new Mail(
          String.join(",", r.recipients()),
          m.getSubject(),
          m.getMessageID(),
          m.getHeader("In-Reply-To", null),
          m.getHeader("References", null));
    }
  }

  private static boolean isReply(Mail m, Mail root) {
    return root.id().equals(m.inReplyTo()) && root.id().equals(m.references());
  }

  /** The mails received from the {@code from}th on, to {@code to} alone, in order. */
  private List<Mail> mails(int from, String to) throws Exception {
    List<SmtpSink.Received> all = sink.received();
    List<Mail> out = new ArrayList<>();
    for (SmtpSink.Received r : all.subList(from, all.size())) {
      Mail m = Mail.of(r);
      if (m.to().equals(to)) {
        out.add(m);
      }
    }
    return out;
  }

  private java.util.Optional<Mail> resolved(String to) throws Exception {
    return mails(0, to).stream().filter(m -> m.subject().startsWith("[RESOLVED]")).findFirst();
  }

  private List<String> bodies() {
    return sink.received().stream().map(SmtpSink.Received::dataAsString).toList();
  }

  private static java.util.function.Predicate<String> pendingX2() {
    return body -> body.contains("Overtemp at x2");
  }

  private static List<JsonNode> sent(List<JsonNode> audit) {
    return audit.stream().filter(l -> l.get("status").asText().equals("sent")).toList();
  }

  /** Lines with this reason ("null" for those without one). */
  private static List<JsonNode> linesFor(List<JsonNode> audit, String reason) {
    return audit.stream().filter(l -> l.path("reason").asText("null").equals(reason)).toList();
  }

  private static List<String> reasons(List<JsonNode> audit) {
    return audit.stream().map(l -> l.path("reason").asText("null")).toList();
  }

  private static List<String> eventIds(List<JsonNode> lines) {
    List<String> ids = new ArrayList<>();
    lines.forEach(l -> l.get("event_ids").forEach(id -> ids.add(id.asText())));
    return ids;
  }
}

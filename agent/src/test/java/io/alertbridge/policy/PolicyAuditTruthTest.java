package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.config.Rate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * What the recipients are told and what the audit log says about it agree: no mail for what nobody
 * heard of, no Message-ID that was never mailed, no event that vanishes (issue 15).
 */
class PolicyAuditTruthTest extends PolicyTestBase {
  private final List<Notification> emitted = new ArrayList<>();

  private static ObjectNode hold(String id, String sensor, String status) {
    ObjectNode e = event(id, sensor, status);
    e.putObject("labels").put("room", "hold").put("sensor", sensor);
    return e;
  }

  private List<Notification> collect() throws Exception {
    List<Notification> out = mails();
    emitted.addAll(out);
    return out;
  }

  private void assertEveryNamedMessageIdWasMailed() throws Exception {
    Set<String> mailed = emitted.stream().map(Notification::messageId).collect(Collectors.toSet());
    assertThat(audit())
        .filteredOn(r -> r.messageId() != null)
        .allSatisfy(r -> assertThat(mailed).as(r.toJson()).contains(r.messageId()));
    assertThat(emitted)
        .filteredOn(n -> n instanceof Notification.GroupMail g && g.inReplyTo() != null)
        .allSatisfy(n -> assertThat(mailed).contains(((Notification.GroupMail) n).inReplyTo()));
  }

  @Test
  void anAlertThatFiresAndResolvesBeforeItsFirstMailIsNotMailed() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    List<String> ids = new ArrayList<>();
    // A flapping sensor: ten cycles, each shorter than group-wait.
    for (int c = 0; c < 10; c++) {
      send(event("f" + c, "t1", "firing"));
      advance(Duration.ofSeconds(5));
      send(event("r" + c, "t1", "resolved"));
      advance(Duration.ofSeconds(31));
      ids.add("f" + c);
      ids.add("r" + c);
    }
    assertThat(mails()).isEmpty();
    assertThat(suppressed("resolved"))
        .extracting(AuditRecord::eventId)
        .containsExactlyElementsOf(ids);
    assertThat(suppressed("resolved")).allMatch(r -> r.messageId() == null);
  }

  @Test
  void aSiblingThatFiresAndResolvesUnannouncedAddsNothingToTheGroupsThread() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    send(event("a", "t1", "firing"));
    advance(Duration.ofSeconds(31));
    Notification first = mails().get(0);
    send(event("b", "t2", "firing"));
    send(event("b2", "t2", "resolved"));
    advance(Duration.ofMinutes(10));
    assertThat(mails()).isEmpty();
    assertThat(suppressed("resolved")).extracting(AuditRecord::eventId).containsExactly("b", "b2");
    assertThat(suppressed("resolved")).allMatch(r -> first.messageId().equals(r.messageId()));
  }

  @Test
  void theEventsOfAFoldedGroupMailNameTheDigestTheyWentInto() throws Exception {
    start(ROUTES, DEFAULT_POLICY + "  max-mails-per-recipient: 1/1h\n");
    send(hold("x1", "x1", "firing"));
    send(hold("x2", "x2", "firing")); // over the limit: folded
    assertThat(collect()).hasSize(1);
    advance(Duration.ofHours(1));
    Notification digest = collect().get(0);
    assertThat(digest.kind()).isEqualTo(Notification.DIGEST);
    assertThat(suppressed("grouped"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.eventId()).isEqualTo("x2");
              assertThat(r.messageId()).isEqualTo(digest.messageId());
            });
  }

  @Test
  void aDigestCountsTheAlertsOfAFoldedGroupLargerThanAMailLists() throws Exception {
    start(
        ROUTES.replace("group-wait: 0s\n", "group-by: [type]\n    group-wait: 10s\n"),
        DEFAULT_POLICY + "  max-mails-per-recipient: 1/1h\n");
    ObjectNode leak = hold("leak", "l1", "firing");
    leak.put("type", "leak");
    send(leak);
    advance(Duration.ofSeconds(11));
    assertThat(collect()).hasSize(1);
    int size = GroupMails.MAX_LISTED + 2;
    for (int i = 0; i < size; i++) {
      send(hold("o" + i, "s" + i, "firing"));
    }
    advance(Duration.ofSeconds(11));
    assertThat(collect()).as("folded").isEmpty();
    advance(Duration.ofHours(1));
    Notification digest = collect().get(0);
    assertThat(digest.alerts()).hasSize(GroupMails.MAX_LISTED);
    assertThat(((Notification.Digest) digest).total()).isEqualTo(size);
    assertThat(suppressed("grouped"))
        .hasSize(size)
        .allMatch(r -> digest.messageId().equals(r.messageId()));
    Map<?, ?> rendered =
        (Map<?, ?>)
            new NotificationPlanner(null, Rate.parse("1/1h").orElseThrow(), Duration.ofHours(1))
                .draft(digest, List.of())
                .context()
                .get("digest");
    assertThat(rendered.get("alerts")).isEqualTo((long) size);
    assertThat(rendered.get("listed")).isEqualTo(GroupMails.MAX_LISTED);
  }

  @Test
  void theStormGuardCountsAnAddressInAnySpellingAsOneRecipient() throws Exception {
    String routes =
        """
        routes:
          - name: engine
            match: {labels: {room: engine}}
            to: [Ops@Plant.example]
            template: plain
            group-wait: 0s
          - name: default
            to: [ops@plant.example]
            template: plain
            group-wait: 0s
        """;
    start(routes, DEFAULT_POLICY + "  max-mails-per-recipient: 2/1h\n");
    send(event("e1", "t1", "firing"));
    send(hold("h1", "h1", "firing"));
    send(hold("h2", "h2", "firing"));
    assertThat(mails()).hasSize(2);
    advance(Duration.ofHours(1));
    assertThat(mails())
        .singleElement()
        .satisfies(n -> assertThat(n.kind()).isEqualTo(Notification.DIGEST));
  }

  @Test
  void anEventNamingARouteThisConfigurationLacksIsAudited() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    TestInputTopic<String, byte[]> events =
        driver.createInputTopic(
            "alertbridge.state-events",
            new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer());
    AlertSnapshot snapshot =
        new AlertSnapshot(
            "gone1", clock.millis(), "s", "t", "critical", "firing", "x", null, Map.of(), Map.of());
    events.pipeInput(
        "removed",
        PolicyJson.write(new RoutedEvent(snapshot, List.of("removed"), "alerts", 0, 42)));
    assertThat(suppressed("route-removed"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.eventId()).isEqualTo("gone1");
              assertThat(r.route()).isEqualTo("removed");
              assertThat(r.offset()).isEqualTo(42);
            });
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Silences, inhibition and flapping alerts through the real topology (issue 17). */
class OperatorControlsTest extends PolicyTestBase {
  private final TestSilences testSilences = new TestSilences();

  private static final String INHIBIT =
      """
      inhibit:
        - source: ['labels.alarm="plc-comms-lost"']
          target: ['labels.room=engine']
          equal: [labels.site]
      """;

  private void startWith(String extra) throws Exception {
    silences = testSilences;
    start(ROUTES + extra, DEFAULT_POLICY);
  }

  private static ObjectNode plcLost(String id, String site, String status) {
    ObjectNode e = event(id, "plc", status);
    e.put("type", "plc-comms-lost");
    ((ObjectNode) e.get("labels"))
        .put("room", "control")
        .put("site", site)
        .put("alarm", "plc-comms-lost");
    return e;
  }

  private static ObjectNode at(ObjectNode e, String site) {
    ((ObjectNode) e.get("labels")).put("site", site);
    return e;
  }

  @Test
  void aSilencedAlertIsAuditedWithItsSilenceAndMailedWhenTheSilenceEnds() throws Exception {
    startWith("");
    testSilences.add("s-1", START, START.plus(Duration.ofHours(1)), false, "labels.sensor=T3");
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));

    assertThat(mails()).isEmpty();
    List<AuditRecord> silenced = suppressed("silenced");
    assertThat(silenced).hasSize(1);
    assertThat(silenced.get(0).eventId()).isEqualTo("e1");
    assertThat(silenced.get(0).cause()).isEqualTo("s-1");

    advance(Duration.ofHours(1));
    List<Notification> after = mails();
    assertThat(after).hasSize(1);
    assertThat(after.get(0).alerts()).extracting(Notification.Alert::state).containsExactly("new");
  }

  @Test
  void anAlertThatFiresAndResolvesUnderASilenceIsNeverMailed() throws Exception {
    startWith("");
    testSilences.add("s-1", START, START.plus(Duration.ofHours(1)), false, "labels.sensor=T3");
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(10));
    send(event("e2", "T3", "resolved"));
    advance(Duration.ofHours(2));

    assertThat(mails()).isEmpty();
    assertThat(suppressed("silenced")).extracting(AuditRecord::eventId).containsExactly("e1");
    assertThat(suppressed("resolved")).extracting(AuditRecord::eventId).containsExactly("e2");
  }

  @Test
  void aSilenceCoversOnlyTheAlertsItsMatchersMatch() throws Exception {
    startWith("");
    testSilences.add("s-1", START, START.plus(Duration.ofHours(1)), false, "labels.sensor=T3");
    send(event("e1", "T3", "firing"));
    send(event("e2", "T4", "firing"));
    advance(Duration.ofMinutes(1));

    List<Notification> sent = mails();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).alerts())
        .extracting(a -> a.event().labels().get("sensor"))
        .containsExactly("T4");
  }

  @Test
  void aPendingSilenceStartsLater() throws Exception {
    startWith("");
    testSilences.add(
        "later",
        START.plus(Duration.ofHours(1)),
        START.plus(Duration.ofHours(2)),
        false,
        "labels.sensor=T3");
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    assertThat(mails()).hasSize(1);
    assertThat(suppressed("silenced")).isEmpty();
  }

  @Test
  void aFiringSourceInhibitsTargetsOfItsSiteUntilItResolves() throws Exception {
    startWith(INHIBIT);
    send(plcLost("p1", "ship-1", "firing"));
    advance(Duration.ofSeconds(1));
    assertThat(watched.size()).isEqualTo(1);
    send(event("e1", "T3", "firing"));
    send(at(event("e2", "T9", "firing"), "ship-2"));
    advance(Duration.ofMinutes(1));

    List<Notification> sent = mails();
    assertThat(sent)
        .flatExtracting(Notification::alerts)
        .extracting(a -> a.event().id())
        .containsExactlyInAnyOrder("p1", "e2");
    List<AuditRecord> inhibited = suppressed("inhibited");
    assertThat(inhibited).extracting(AuditRecord::eventId).containsExactly("e1");
    String sourceFp =
        Fingerprints.of(
            sent.stream()
                .flatMap(n -> n.alerts().stream())
                .filter(a -> a.event().id().equals("p1"))
                .findFirst()
                .orElseThrow()
                .event());
    assertThat(inhibited.get(0).cause()).isEqualTo(sourceFp);

    send(plcLost("p2", "ship-1", "resolved"));
    advance(Duration.ofSeconds(1));
    assertThat(watched.size()).isZero();
    advance(Duration.ofMinutes(5));
    assertThat(mails())
        .flatExtracting(Notification::alerts)
        .extracting(a -> a.event().id())
        .contains("e1");
  }

  @Test
  void aFlappingAlertIsMailedOnceThenHeldUntilQuiet() throws Exception {
    silences = testSilences;
    start(
        ROUTES.replace(
            "    group-wait: 0s\n",
            "    group-wait: 0s\n"
                + "    flap-detection: {transitions: 3, window: 10m, quiet: 15m}\n"),
        DEFAULT_POLICY);
    ObjectNode e = event("f0", "T3", "firing");
    ((ObjectNode) e.get("labels")).put("room", "hold");
    send(e);
    advance(Duration.ofSeconds(1));
    assertThat(mails()).hasSize(1);
    for (int i = 1; i <= 6; i++) {
      ObjectNode flip = event("f" + i, "T3", i % 2 == 1 ? "resolved" : "firing");
      ((ObjectNode) flip.get("labels")).put("room", "hold");
      send(flip);
      advance(Duration.ofSeconds(30));
    }
    advance(Duration.ofMinutes(3));
    List<Notification> during = mails();
    List<Notification.Alert> flapping =
        during.stream()
            .flatMap(n -> n.alerts().stream())
            .filter(a -> a.state().equals("flapping"))
            .toList();
    assertThat(flapping).hasSize(1);
    assertThat(flapping.get(0).changes()).isEqualTo(4);
    assertThat(during).hasSize(1);
    ObjectNode more = event("f7", "T3", "resolved");
    ((ObjectNode) more.get("labels")).put("room", "hold");
    send(more);
    advance(Duration.ofMinutes(10));
    assertThat(mails()).as("held while it flaps").isEmpty();
    assertThat(suppressed("flapping")).extracting(AuditRecord::eventId).contains("f7");

    advance(Duration.ofMinutes(16));
    List<Notification> settled = mails();
    assertThat(settled).hasSize(1);
    assertThat(settled.get(0).alerts())
        .extracting(Notification.Alert::state)
        .containsExactly("resolved");
  }

  @Test
  void anAlertThatResolvesAndLeavesItsGroupBetweenFlipsIsStillFoundFlapping() throws Exception {
    silences = testSilences;
    start(
        ROUTES.replace(
            "    group-wait: 0s\n",
            "    group-wait: 0s\n"
                + "    flap-detection: {transitions: 6, window: 10m, quiet: 15m}\n"),
        DEFAULT_POLICY);
    // A flip every 80 s: each resolution is mailed and the alert leaves its group in between.
    List<Notification> all = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ObjectNode e = event("c" + i, "T3", i % 2 == 0 ? "firing" : "resolved");
      ((ObjectNode) e.get("labels")).put("room", "hold");
      send(e);
      advance(Duration.ofSeconds(80));
      all.addAll(mails());
    }
    assertThat(all.stream().flatMap(n -> n.alerts().stream()).map(Notification.Alert::state))
        .contains("flapping");
    assertThat(suppressed("flapping")).isNotEmpty();
    // Far fewer mails than flips: once flapping, nothing until quiet.
    assertThat(all.size()).isLessThan(15);
  }

  @Test
  void everyReadingOfASilencedAlertSaysSilencedNotOnlyItsNews() throws Exception {
    startWith("");
    testSilences.add("s-1", START, START.plus(Duration.ofHours(1)), false, "labels.sensor=T3");
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    send(event("e2", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    assertThat(suppressed("silenced")).extracting(AuditRecord::eventId).containsExactly("e1", "e2");
    assertThat(suppressed("repeat")).isEmpty();
  }

  @Test
  void aReloadThatChangesGroupingClosesTheOldGroupAndTheAlertResolvesInItsNewOne()
      throws Exception {
    startWith("");
    send(event("e1", "T3", "firing"));
    advance(Duration.ofMinutes(1));
    assertThat(mails()).hasSize(1);

    rules.set(
        rulesOf(
            ROUTES.replace("group-by: [labels.site]", "group-by: [labels.sensor]"),
            DEFAULT_POLICY,
            1));
    advance(Duration.ofSeconds(1));

    assertThat(suppressed("regrouped")).extracting(AuditRecord::eventId).containsExactly("e1");
    send(event("e2", "T3", "resolved"));
    advance(Duration.ofMinutes(6));
    List<Notification> after = mails();
    assertThat(after).hasSize(1);
    assertThat(after.get(0).alerts())
        .extracting(Notification.Alert::state)
        .containsExactly("resolved");
  }

  @Test
  void aStaleReadingOfASilencedAlertIsNotInTheBacklogSummaryAndIsMailedWhenTheSilenceEnds()
      throws Exception {
    startWith("");
    testSilences.add("s-1", START, START.plus(Duration.ofHours(1)), false, "labels.sensor=T3");
    ObjectNode old = event("old-1", "T3", "firing");
    old.put("time", START.minus(Duration.ofHours(2)).toString());
    send(old.toString());
    ObjectNode other = event("old-2", "T4", "firing");
    other.put("time", START.minus(Duration.ofHours(2)).toString());
    send(other.toString());
    advance(Duration.ofMinutes(10));

    assertThat(suppressed("silenced")).extracting(AuditRecord::eventId).containsExactly("old-1");
    assertThat(suppressed("stale")).extracting(AuditRecord::eventId).containsExactly("old-2");
    assertThat(mails())
        .flatExtracting(Notification::alerts)
        .extracting(a -> a.event().labels().get("sensor"))
        .containsExactly("T4");

    advance(Duration.ofHours(1));
    assertThat(mails())
        .flatExtracting(Notification::alerts)
        .extracting(a -> a.event().labels().get("sensor") + ":" + a.state())
        // T4, which the summary told, is listed in its group's mail as still firing.
        .containsExactlyInAnyOrder("T3:new", "T4:firing");
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A notification record stays below Kafka's 1 MiB limit on a record however large its alerts: what
 * does not fit in {@link NotificationBudget} is counted, not listed, and still accounted for.
 */
class PolicyBoundsTest extends PolicyTestBase {
  private static final int KAFKA_RECORD_LIMIT = 1 << 20;
  private static final String BIG = "x".repeat(40_000);

  private static ObjectNode big(String id, String sensor, boolean engine) {
    ObjectNode e = event(id, sensor, "firing");
    e.put("description", BIG);
    if (!engine) {
      e.putObject("labels").put("site", "ship-1").put("sensor", sensor);
    }
    return e;
  }

  @Test
  void aGroupOfLargeAlertsListsWhatFitsAndCountsTheRest() throws Exception {
    start(ROUTES, DEFAULT_POLICY);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      send(big("e" + i, "t" + i, true));
      ids.add("e" + i);
    }
    advance(Duration.ofSeconds(31));

    Notification n = mails().get(0);
    assertThat(PolicyJson.write(n).length).isLessThan(TypedStore.MAX_VALUE_BYTES);
    assertThat(n.alerts()).hasSizeLessThan(30).isNotEmpty();
    assertThat(((Notification.GroupMail) n).total()).isEqualTo(30);
    List<String> accounted = new ArrayList<>(n.eventIds());
    suppressed("grouped").stream()
        .filter(r -> n.messageId().equals(r.messageId()))
        .map(AuditRecord::eventId)
        .forEach(accounted::add);
    assertThat(accounted).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aDigestOfAStormListsTheWorstThatFitAndCountsEveryFoldedAlert() throws Exception {
    start(ROUTES, DEFAULT_POLICY + "  max-mails-per-recipient: 1/1h\n");
    for (int i = 0; i < 40; i++) {
      send(big("s" + i, "s" + i, false));
    }
    assertThat(mails()).hasSize(1);
    advance(Duration.ofHours(1));

    Notification digest = mails().get(0);
    assertThat(digest.kind()).isEqualTo(Notification.DIGEST);
    assertThat(PolicyJson.write(digest).length).isLessThan(TypedStore.MAX_VALUE_BYTES);
    assertThat(digest.alerts()).hasSizeLessThan(39).isNotEmpty();
    assertThat(((Notification.Digest) digest).total()).isEqualTo(39);
  }
}

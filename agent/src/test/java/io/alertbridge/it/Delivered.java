package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.embedded.SmtpSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verdict of a fault test, read from the SMTP server's received mails and the audit log: every
 * event was mailed at least once, and a duplicate always carries the same Message-ID.
 */
final class Delivered {
  private static final Pattern EVENT_ID =
      Pattern.compile("^X-Alertbridge-Event-Id: ([^\\r\\n]+)", Pattern.MULTILINE);
  private static final Pattern MESSAGE_ID =
      Pattern.compile("^Message-ID: (<[^>]+>)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);

  /** Event id → Message-IDs of every copy the server received. */
  final Map<String, List<String>> mails = new TreeMap<>();

  Delivered(Collection<SmtpSink.Received> received) {
    for (SmtpSink.Received r : received) {
      String data = r.dataAsString();
      mails
          .computeIfAbsent(group(EVENT_ID, data), k -> new ArrayList<>())
          .add(group(MESSAGE_ID, data));
    }
  }

  private static String group(Pattern p, String data) {
    Matcher m = p.matcher(data);
    if (!m.find()) {
      throw new AssertionError(p + " not found in a received mail:\n" + data);
    }
    return m.group(1).trim();
  }

  int duplicates() {
    return mails.values().stream().mapToInt(l -> l.size() - 1).sum();
  }

  /** Asserts the two promises: nothing lost, and duplicates are recognisable as such. */
  void assertEveryEventMailedWithOneMessageId(Collection<String> eventIds) {
    assertThat(mails.keySet()).as("events the server received").containsAll(eventIds);
    mails.forEach(
        (event, ids) ->
            assertThat(new TreeSet<>(ids)).as("Message-IDs of event " + event).hasSize(1));
  }

  /** Every audit line parses (a torn line would not), and every event has a "sent" line. */
  static List<JsonNode> assertAuditedSent(Path auditFile, Collection<String> eventIds)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(auditFile)) {
      lines.add(json.readTree(l));
    }
    Set<String> sent = new TreeSet<>();
    for (JsonNode l : lines) {
      if ("sent".equals(l.get("status").asText())) {
        sent.add(l.get("event_id").asText());
        assertThat(l.get("queue_id").isNull()).as("queue ID of a sent line").isFalse();
      }
    }
    assertThat(sent).as("events with a sent audit line").containsAll(eventIds);
    return lines;
  }
}

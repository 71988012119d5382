package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.embedded.SmtpSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  private final Set<String> messageIds = new TreeSet<>();
  private final Set<String> queueIds = new TreeSet<>();

  Delivered(Collection<SmtpSink.Received> received) {
    for (SmtpSink.Received r : received) {
      String data = r.dataAsString();
      String messageId = group(MESSAGE_ID, data);
      mails.computeIfAbsent(group(EVENT_ID, data), k -> new ArrayList<>()).add(messageId);
      messageIds.add(messageId);
      queueIds.add(r.queueId());
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

  /**
   * The audit log against the server, on either path: every {@code sent} line names a mail the
   * server holds (its Message-ID and queue ID), and every event is in a {@code sent} line's event
   * ids or in a {@code suppressed} line whose Message-ID is that of a sent mail.
   */
  void assertAudited(List<JsonNode> lines, Collection<String> eventIds) {
    Set<String> sentMessageIds = new TreeSet<>();
    Set<String> covered = new TreeSet<>();
    for (JsonNode l : lines) {
      if ("sent".equals(l.get("status").asText())) {
        String messageId = l.get("message_id").asText();
        assertThat(messageIds)
            .as("Message-IDs on the server, for sent line %s", l)
            .contains(messageId);
        assertThat(queueIds)
            .as("queue IDs on the server, for sent line %s", l)
            .contains(l.get("queue_id").asText());
        sentMessageIds.add(messageId);
        covered.addAll(eventIds(l));
      }
    }
    for (JsonNode l : lines) {
      if ("suppressed".equals(l.get("status").asText())
          && sentMessageIds.contains(l.get("message_id").asText())) {
        covered.addAll(eventIds(l));
      }
    }
    assertThat(covered)
        .as("events audited as sent, or suppressed into a sent mail")
        .containsAll(eventIds);
  }

  private static Set<String> eventIds(JsonNode line) {
    Set<String> ids = new TreeSet<>();
    line.get("event_ids").forEach(id -> ids.add(id.asText()));
    if (!line.get("event_id").isNull()) {
      ids.add(line.get("event_id").asText());
    }
    return ids;
  }

  /**
   * The daemon still works after the fault: one more new alert reaches the server and gets a sent
   * line in one of the audit files. Its id is added to {@code ids}.
   */
  static void assertStillMails(
      KafkaFixture.Broker broker,
      String topic,
      SmtpSink sink,
      Collection<Path> auditFiles,
      List<String> ids) {
    String id = "after-fault-" + System.nanoTime();
    RunningDaemon.produceFresh(broker, topic, id, 1, ids);
    String eventId = id + "-0";
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                new Delivered(sink.received()).mails.containsKey(eventId)
                    && sentLineFor(auditFiles, eventId));
  }

  private static boolean sentLineFor(Collection<Path> auditFiles, String eventId)
      throws IOException {
    for (Path f : auditFiles) {
      if (Files.exists(f)
          && Files.readAllLines(f).stream()
              .anyMatch(
                  l -> l.contains("\"status\":\"sent\"") && l.contains('"' + eventId + '"'))) {
        return true;
      }
    }
    return false;
  }

  /** Every line of the files, each parsed: a torn line (a cut by kill -9 left behind) fails. */
  static List<JsonNode> wholeLines(Collection<Path> auditFiles) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (Path f : auditFiles) {
      if (Files.exists(f)) {
        for (String l : Files.readAllLines(f)) {
          lines.add(json.readTree(l));
        }
      }
    }
    return lines;
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

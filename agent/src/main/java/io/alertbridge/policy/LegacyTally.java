package io.alertbridge.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the upgrade finds in the old stores, tallied as their values are read: the alerts it
 * migrates, the audit lines of what it drops, and the counts for its log line.
 */
final class LegacyTally {
  private static final Logger log = LoggerFactory.getLogger(LegacyTally.class);

  /** Lenient: the classes that wrote these values are gone; only a few fields are read. */
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final Instant now;
  private final List<AuditRecord> lines = new ArrayList<>();
  private final List<ImportedAlert> imports = new ArrayList<>();
  private int groups;
  private int alerts;
  private int unmigrated;
  private int digests;
  private int backlogs;

  LegacyTally(Instant now) {
    this.now = now;
  }

  /** Adds the lines of one live value of a legacy store; one that cannot be read is logged. */
  void add(String store, String key, byte[] value) {
    JsonNode v;
    try {
      v = JSON.readTree(value);
    } catch (IOException e) {
      log.warn("ignoring unreadable {} value of key {}: {}", store, key, e.toString());
      return;
    }
    if (v == null || !v.isObject()) {
      log.warn("ignoring {} value of key {}: not a JSON object", store, key);
      return;
    }
    switch (store) {
      case "groups" -> group(v, key);
      case "recipients" -> recipient(v);
      case "backlogs" -> backlog(v, key);
      default -> {
        // closed: resolved alerts already mailed; only their dedup memory is dropped.
      }
    }
  }

  /**
   * Each alert migrated into the new stores ({@link LegacyGroups}); one that cannot be is audited:
   * its pending event (not mailed yet), else its latest one.
   */
  private void group(JsonNode g, String storeKey) {
    groups++;
    String route = text(g.path("route"));
    String group = g.hasNonNull("key") ? text(g.path("key")) : storeKey;
    for (Map.Entry<String, JsonNode> e : g.path("alerts").properties()) {
      alerts++;
      ImportedAlert imported = LegacyGroups.alert(g, group, e.getKey(), e.getValue(), now);
      if (imported != null) {
        imports.add(imported);
        continue;
      }
      unmigrated++;
      JsonNode a = e.getValue();
      JsonNode p = a.path("pending");
      if (p.hasNonNull("eventId")) {
        lines.add(
            line(
                text(p.path("eventId")),
                text(p.path("topic")),
                p.path("partition").asInt(-1),
                p.path("offset").asLong(-1),
                route,
                group));
      } else {
        lines.add(line(text(a.path("latest").path("id")), null, -1, -1, route, group));
      }
    }
  }

  /** A digest that was folded but not sent: one line per alert it would have listed. */
  private void recipient(JsonNode r) {
    JsonNode folded = r.path("folded");
    if (!folded.isObject() || folded.isEmpty()) {
      return;
    }
    digests++;
    for (Map.Entry<String, JsonNode> e : folded.properties()) {
      String route = text(e.getValue().path("route"));
      JsonNode listed = e.getValue().path("alerts");
      if (!listed.isObject() || listed.isEmpty()) {
        lines.add(line(null, null, -1, -1, route, e.getKey()));
      }
      for (JsonNode a : iterable(listed)) {
        lines.add(line(text(a.path("event").path("id")), null, -1, -1, route, e.getKey()));
      }
    }
  }

  /** A backlog summary not sent yet: one line per alert it lists, or one for the summary. */
  private void backlog(JsonNode b, String storeKey) {
    if (b.path("count").asLong(0) <= 0) {
      return;
    }
    backlogs++;
    String route = b.hasNonNull("route") ? text(b.path("route")) : storeKey;
    JsonNode listed = b.path("alerts");
    if (!listed.isObject() || listed.isEmpty()) {
      lines.add(line(null, null, -1, -1, route, null));
    }
    for (JsonNode a : iterable(listed)) {
      lines.add(line(text(a.path("id")), null, -1, -1, route, null));
    }
  }

  private AuditRecord line(
      String eventId, String topic, int partition, long offset, String route, String group) {
    return PolicyAudit.line(
        now,
        AuditStatus.SUPPRESSED,
        eventId == null ? List.of() : List.of(eventId),
        topic,
        partition,
        offset,
        route,
        group,
        null,
        PolicyAudit.UPGRADED);
  }

  private static Iterable<JsonNode> iterable(JsonNode objectOrMissing) {
    return objectOrMissing.isObject() ? objectOrMissing::elements : List.of();
  }

  private static String text(JsonNode n) {
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }

  List<AuditRecord> lines() {
    return List.copyOf(lines);
  }

  List<ImportedAlert> imports() {
    return List.copyOf(imports);
  }

  String summary() {
    return "upgraded from the previous state format: "
        + groups
        + " groups ("
        + (alerts - unmigrated)
        + " alerts) migrated, "
        + unmigrated
        + " unreadable alerts, "
        + digests
        + " pending digests and "
        + backlogs
        + " pending backlog summaries dropped, each dropped alert audited `upgraded`";
  }
}

package io.alertbridge.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a group as a release before issue 16 stored it (one JSON value: key, route, labels,
 * incident, seq, threadRoot, lastSent, and its alerts by fingerprint, each with latest, notified,
 * pending, recent, firstSeen, refreshed, timedOut) into {@link ImportedAlert}s. Lenient: the class
 * that wrote it is gone, and what cannot be read is audited by the caller instead.
 */
final class LegacyGroups {
  private static final ObjectMapper TREE = JsonMapper.builder().build();

  private LegacyGroups() {}

  /** One alert of legacy group {@code g}, or null when it cannot be read. */
  static ImportedAlert alert(JsonNode g, String group, String fp, JsonNode a, Instant now) {
    String route = text(g.path("route"));
    if (route == null || group == null || !a.path("latest").isObject()) {
      return null;
    }
    AlertSnapshot latest;
    Pending pending = null;
    try {
      latest = PolicyJson.read(TREE.writeValueAsBytes(a.path("latest")), AlertSnapshot.class);
      if (a.path("pending").hasNonNull("eventId")) {
        pending = PolicyJson.read(TREE.writeValueAsBytes(a.path("pending")), Pending.class);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    latest =
        latest == null || latest.id() == null
            ? null
            : latest.bounded(GroupPolicy.MAX_SNAPSHOT_BYTES);
    if (latest == null) {
      return null;
    }
    List<String> recent = new ArrayList<>();
    a.path("recent").forEach(id -> recent.add(id.asText()));
    while (recent.size() > AlertEntry.REMEMBERED) {
      recent.remove(0);
    }
    long refreshed = a.path("refreshed").asLong(0);
    AlertEntry entry =
        new AlertEntry(
            AlertEntry.VERSION,
            latest,
            text(a.path("notified")),
            pending,
            recent,
            a.path("firstSeen").asLong(latest.time()),
            // A version without the field: its alert-timeout counts from the upgrade.
            refreshed != 0 ? refreshed : now.toEpochMilli(),
            a.path("timedOut").asBoolean(false),
            false,
            null,
            0);
    Map<String, String> labels = new LinkedHashMap<>();
    g.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ImportedAlert(
        ImportedAlert.VERSION,
        route,
        group,
        labels,
        g.path("incident").asLong(now.toEpochMilli()),
        g.path("seq").asLong(0),
        text(g.path("threadRoot")),
        g.path("lastSent").asLong(0),
        fp,
        entry);
  }

  private static String text(JsonNode n) {
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}

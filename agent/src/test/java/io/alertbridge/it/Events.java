package io.alertbridge.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Alert events for integration tests, built as JSON so any value can be given. */
final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  static ObjectNode alert(String id, String severity, String summary) {
    ObjectNode e = JSON.createObjectNode();
    e.put("id", id);
    e.put("time", "2026-11-28T13:05:00Z");
    e.put("source", "engine-room/plc-3");
    e.put("type", "overtemp");
    e.put("severity", severity);
    e.put("summary", summary);
    e.putObject("labels").put("room", "engine").put("site", "ship-1");
    e.putObject("values").put("temperature_c", 98.4);
    return e;
  }

  static String critical(String id, String summary, String description) {
    return alert(id, "critical", summary).put("description", description).toString();
  }

  static String info(String id, String summary, String description) {
    return alert(id, "info", summary).put("description", description).toString();
  }

  /**
   * An info alert of its own (its {@code alert} label is its id, so its fingerprint is new), timed
   * now: the policy stage mails it at once with {@code group-wait: 0s}, in a mail of its own, where
   * an event of an old time would be summarised as stale and a reading of a known alert grouped.
   */
  static String fresh(String id) {
    return reading(id, id);
  }

  /** A reading, timed now, of the alert named {@code alert}: a second one repeats the first. */
  static String reading(String id, String alert) {
    ObjectNode e = alert(id, "info", "reading " + alert).put("time", Instant.now().toString());
    ((ObjectNode) e.get("labels")).put("alert", alert);
    return e.toString();
  }
}

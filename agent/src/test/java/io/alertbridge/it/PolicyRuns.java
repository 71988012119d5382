package io.alertbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Configurations, events and audit checks for the notification policy's integration tests. */
final class PolicyRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyRuns() {}

  /** {@link ConfigFixtures#VALID} with the policy on, the given routes and policy settings. */
  static String config(String routes, String policy) {
    String yaml =
        ConfigFixtures.VALID.replaceAll("(?s)routes:.*?templates:", routes + "templates:");
    return yaml.replace(
        "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n",
        "policy:\n" + policy);
  }

  /** A reading of sensor {@code sensor}, now. */
  static ObjectNode reading(String id, String sensor, String status) {
    ObjectNode e = JSON.createObjectNode();
    e.put("id", id);
    e.put("time", Instant.now().toString());
    e.put("source", "engine-room/plc-3");
    e.put("type", "overtemp");
    e.put("severity", "critical");
    e.put("status", status);
    e.put("summary", "Overtemp at " + sensor);
    e.putObject("labels").put("room", "engine").put("site", "ship-1").put("sensor", sensor);
    e.putObject("values").put("temperature_c", 98.4);
    return e;
  }

  static ProducerRecord<byte[], byte[]> record(String topic, ObjectNode event) {
    // Keyed by event id, so one sensor's readings spread over all partitions.
    return new ProducerRecord<>(
        topic,
        event.get("id").asText().getBytes(StandardCharsets.UTF_8),
        event.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** How often each event id appears in the audit: in a mail's event_ids or a line of its own. */
  static Map<String, Integer> audited(List<JsonNode> audit) {
    Map<String, Integer> count = new HashMap<>();
    for (JsonNode line : audit) {
      String status = line.get("status").asText();
      if (status.equals("uncertain")) {
        continue; // followed by the line of the attempt that was accepted
      }
      for (JsonNode id : line.get("event_ids")) {
        count.merge(id.asText(), 1, Integer::sum);
      }
    }
    return count;
  }

  static MimeMessage parse(SmtpSink.Received r) throws Exception {
    return new MimeMessage(
        Session.getInstance(new Properties()), new ByteArrayInputStream(r.data()));
  }
}

package io.alertbridge.demo;

import io.alertbridge.policy.AlertSnapshot;
import io.alertbridge.policy.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The engine-room readings the demo produces: one of each shape alertbridge accepts, one it must
 * reject, and readings that the notification policy groups into one mail thread.
 */
final class DemoEvents {
  private DemoEvents() {}

  /**
   * The first burst: a normal reading, three overtemp readings of sensor T3 and one of T4 (one
   * alert group: same site, same type), a malformed record, and a bilge-pump CloudEvent.
   */
  static List<ProducerRecord<byte[], byte[]>> firing(String topic, Instant now) {
    String t = now.toString();
    return List.of(
        plain(
            topic,
            "plc-3",
            """
            {"id": "8a1c2f0e-normal-0001", "time": "%s", "source": "engine-room/plc-3",
             "type": "temperature", "severity": "info", "status": "firing",
             "summary": "Engine room temperature normal: 71.2 °C",
             "labels": {"site": "ship-1", "room": "engine", "sensor": "T1"},
             "values": {"temperature_c": 71.2, "threshold_c": 90}}"""
                .formatted(t)),
        overtemp(topic, "0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a40", t, "T3", "96.1"),
        overtemp(topic, "0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a41", t, "T3", "97.7"),
        overtemp(topic, "0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a42", t, "T3", "98.4"),
        overtemp(topic, "6d1e22b4-t4-0001", t, "T4", "93.0"),
        plain(
            topic,
            "plc-3",
            """
            {"id": "c0ffee00-broken", "time": "%s", "source": "engine-room/plc-3",
             "severity": "critical", "summary": "Overtemp in the engi"""
                .formatted(t)),
        structuredCloudEvent(topic, t));
  }

  /** The second burst: both overtemp alerts clear, one as a binary-mode CloudEvent. */
  static List<ProducerRecord<byte[], byte[]>> resolved(String topic, Instant now) {
    String t = now.toString();
    return List.of(
        binaryCloudEvent(topic, t),
        plain(
            topic,
            "plc-4",
            """
            {"id": "6d1e22b4-t4-resolved", "time": "%s", "source": "engine-room/plc-3",
             "type": "overtemp", "severity": "critical", "status": "resolved",
             "summary": "Overtemp at T4 cleared: 82.0 °C",
             "labels": {"site": "ship-1", "room": "engine", "sensor": "T4"},
             "values": {"temperature_c": 82.0, "threshold_c": 90}}"""
                .formatted(t)));
  }

  /** A reading of sensor T7, which the demo's silence covers: T7 is being replaced. */
  static ProducerRecord<byte[], byte[]> silenced(String topic, Instant now) {
    return overtemp(topic, "3c9d41a7-t7-0001", now.toString(), "ship-1", "T7", "104.5");
  }

  /** The PLC of ship-2 stopped answering: the shipped inhibition rule's source. */
  static final String PLC_SOURCE = "control-room/plc-2";

  static final String PLC_ID = "a4f2c915-plc-comms-0001";
  static final String PLC_TYPE = "plc-comms-lost";
  static final Map<String, String> PLC_LABELS = Map.of("site", "ship-2", "room", "control");

  static ProducerRecord<byte[], byte[]> plcCommsLost(String topic, Instant now) {
    return plain(
        topic,
        "plc-2",
        """
        {"id": "%s", "time": "%s", "source": "%s",
         "type": "%s", "severity": "critical", "status": "firing",
         "summary": "PLC 2 comms lost: no heartbeat for 30 s",
         "labels": {"site": "%s", "room": "%s"}}"""
            .formatted(
                PLC_ID, now, PLC_SOURCE, PLC_TYPE, PLC_LABELS.get("site"), PLC_LABELS.get("room")));
  }

  /**
   * The fingerprint of the "PLC comms lost" alert: the cause its inhibited alarms are audited with.
   */
  static String plcFingerprint() {
    return Fingerprints.of(
        new AlertSnapshot(
            null, 0, PLC_SOURCE, PLC_TYPE, "critical", "firing", null, null, PLC_LABELS, null));
  }

  /** An engine-room alarm of ship-2 while its PLC's comms are lost: a symptom, inhibited. */
  static ProducerRecord<byte[], byte[]> inhibited(String topic, Instant now) {
    return overtemp(topic, "e81b5d02-t2-0001", now.toString(), "ship-2", "T2", "93.8");
  }

  static final String ACKED_ID = "9b3e0c71-t5-0001";
  static final String UNANSWERED_ID = "d47a8f26-t6-0001";

  /** Overtemp in ship-3's engine room: the alert the demo's scripted reply acknowledges. */
  static ProducerRecord<byte[], byte[]> acked(String topic, Instant now) {
    return overtemp(topic, ACKED_ID, now.toString(), "ship-3", "T5", "95.2");
  }

  /** Overtemp in ship-4's engine room: nobody answers it, so it escalates. */
  static ProducerRecord<byte[], byte[]> unanswered(String topic, Instant now) {
    return overtemp(topic, UNANSWERED_ID, now.toString(), "ship-4", "T6", "94.6");
  }

  private static ProducerRecord<byte[], byte[]> overtemp(
      String topic, String id, String time, String sensor, String celsius) {
    return overtemp(topic, id, time, "ship-1", sensor, celsius);
  }

  private static ProducerRecord<byte[], byte[]> overtemp(
      String topic, String id, String time, String site, String sensor, String celsius) {
    return plain(
        topic,
        "plc-" + sensor,
        """
        {"id": "%s", "time": "%s",
         "source": "engine-room/plc-3", "type": "overtemp", "severity": "critical",
         "status": "firing", "summary": "Overtemp at %s: %s °C",
         "description": "Sensor %s above 90 °C for 60 s",
         "labels": {"site": "%s", "room": "engine", "sensor": "%s"},
         "values": {"temperature_c": %s, "threshold_c": 90}}"""
            .formatted(id, time, sensor, celsius, sensor, site, sensor, celsius));
  }

  private static ProducerRecord<byte[], byte[]> plain(String topic, String key, String json) {
    return new ProducerRecord<>(topic, bytes(key), bytes(json));
  }

  private static ProducerRecord<byte[], byte[]> structuredCloudEvent(String topic, String time) {
    ProducerRecord<byte[], byte[]> r =
        plain(
            topic,
            "bilge-2",
            """
        {"specversion": "1.0", "id": "5b7e9d3c-bilge-0007", "source": "engine-room/bilge-2",
         "type": "pump-runtime", "time": "%s", "datacontenttype": "application/json",
         "data": {"severity": "warning", "status": "firing",
                  "summary": "Bilge pump 2 running longer than usual",
                  "labels": {"site": "ship-1", "room": "engine"},
                  "values": {"runtime_s": 340, "expected_s": 120}}}"""
                .formatted(time));
    r.headers().add(new RecordHeader("content-type", bytes("application/cloudevents+json")));
    return r;
  }

  private static ProducerRecord<byte[], byte[]> binaryCloudEvent(String topic, String time) {
    ProducerRecord<byte[], byte[]> r =
        plain(
            topic,
            "plc-3",
            """
        {"severity": "critical", "status": "resolved",
         "summary": "Overtemp at T3 cleared: 84.9 °C",
         "labels": {"site": "ship-1", "room": "engine", "sensor": "T3"},
         "values": {"temperature_c": 84.9, "threshold_c": 90}}""");
    Map.of(
            "ce_specversion", "1.0",
            "ce_id", "0f8c7a9e-resolved-0002",
            "ce_source", "engine-room/plc-3",
            "ce_type", "overtemp",
            "ce_time", time,
            "content-type", "application/json")
        .forEach((k, v) -> r.headers().add(new RecordHeader(k, bytes(v))));
    return r;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

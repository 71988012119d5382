package io.alertbridge.demo;

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

  private static ProducerRecord<byte[], byte[]> overtemp(
      String topic, String id, String time, String sensor, String celsius) {
    return plain(
        topic,
        "plc-" + sensor,
        """
        {"id": "%s", "time": "%s",
         "source": "engine-room/plc-3", "type": "overtemp", "severity": "critical",
         "status": "firing", "summary": "Overtemp at %s: %s °C",
         "description": "Sensor %s above 90 °C for 60 s",
         "labels": {"site": "ship-1", "room": "engine", "sensor": "%s"},
         "values": {"temperature_c": %s, "threshold_c": 90}}"""
            .formatted(id, time, sensor, celsius, sensor, sensor, celsius));
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

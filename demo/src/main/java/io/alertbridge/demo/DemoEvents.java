package io.alertbridge.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The engine-room readings the demo produces: one of each shape alertbridge accepts, and one it
 * must reject.
 */
final class DemoEvents {
  private DemoEvents() {}

  static List<ProducerRecord<byte[], byte[]>> all(String topic, Instant now) {
    String t = now.toString();
    return List.of(
        plain(
            topic,
            "plc-3",
            """
            {"id": "8a1c2f0e-normal-0001", "time": "%s", "source": "engine-room/plc-3",
             "type": "temperature", "severity": "info", "status": "firing",
             "summary": "Engine room temperature normal: 71.2 °C",
             "labels": {"site": "ship-1", "room": "engine", "sensor": "T3"},
             "values": {"temperature_c": 71.2, "threshold_c": 90}}"""
                .formatted(t)),
        plain(
            topic,
            "plc-3",
            """
            {"id": "0f8c7a9e-3d2b-4b8e-9a51-6c2f0e7d1a42", "time": "%s",
             "source": "engine-room/plc-3", "type": "overtemp", "severity": "critical",
             "status": "firing", "summary": "Overtemp in the engine room: 98.4 °C",
             "description": "Sensor T3 above 90 °C for 60 s",
             "labels": {"site": "ship-1", "room": "engine", "sensor": "T3"},
             "values": {"temperature_c": 98.4, "threshold_c": 90}}"""
                .formatted(t)),
        plain(
            topic,
            "plc-3",
            """
            {"id": "c0ffee00-broken", "time": "%s", "source": "engine-room/plc-3",
             "severity": "critical", "summary": "Overtemp in the engi"""
                .formatted(t)),
        structuredCloudEvent(topic, t),
        binaryCloudEvent(topic, t));
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
         "summary": "Overtemp in the engine room cleared: 84.9 °C",
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

package io.alertbridge.policy;

import io.alertbridge.event.AlertEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event as the policy stage keeps it: plain data that round-trips through JSON in state stores
 * and notification records. Times are epoch milliseconds.
 */
public record AlertSnapshot(
    String id,
    long time,
    String source,
    String type,
    String severity,
    String status,
    String summary,
    String description,
    Map<String, String> labels,
    Map<String, Object> values) {
  public AlertSnapshot {
    labels = labels == null ? Map.of() : new LinkedHashMap<>(labels);
    values = values == null ? Map.of() : new LinkedHashMap<>(values);
  }

  static AlertSnapshot of(AlertEvent e) {
    return new AlertSnapshot(
        e.id(),
        e.time().toEpochMilli(),
        e.source(),
        e.type(),
        e.severity().toString(),
        e.status().toString(),
        e.summary(),
        e.description(),
        e.labels(),
        e.values());
  }

  /** This reading at another time: a clock-skewed event taken as read now. */
  AlertSnapshot at(long epochMillis) {
    return new AlertSnapshot(
        id, epochMillis, source, type, severity, status, summary, description, labels, values);
  }

  /** This reading as resolved: an alert that timed out and resolves without a reading. */
  AlertSnapshot resolved() {
    return new AlertSnapshot(
        id, time, source, type, severity, "resolved", summary, description, labels, values);
  }

  boolean firing() {
    return "firing".equals(status);
  }

  /** Critical first, then warning, then info: how digests order their tables. */
  int severityRank() {
    return switch (severity) {
      case "critical" -> 0;
      case "warning" -> 1;
      default -> 2;
    };
  }
}

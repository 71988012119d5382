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

  /**
   * This reading within {@code maxBytes} of JSON, or null when its identity (id, source, type,
   * labels) alone is larger. Every value the policy keeps or sends holds snapshots, so bounding
   * them bounds every state value and record (issue 16): the description goes first, then the
   * values, then the summary, each marked as cut, since the fingerprint must not change.
   */
  AlertSnapshot bounded(int maxBytes) {
    int size = PolicyJson.write(this).length;
    if (size <= maxBytes) {
      return this;
    }
    AlertSnapshot s =
        new AlertSnapshot(
            id,
            time,
            source,
            type,
            severity,
            status,
            summary,
            cut(description, size - maxBytes),
            labels,
            values);
    if (PolicyJson.write(s).length > maxBytes) {
      s = new AlertSnapshot(id, time, source, type, severity, status, summary, CUT, labels, null);
    }
    size = PolicyJson.write(s).length;
    if (size > maxBytes) {
      s =
          new AlertSnapshot(
              id,
              time,
              source,
              type,
              severity,
              status,
              cut(summary, size - maxBytes),
              CUT,
              labels,
              null);
    }
    return PolicyJson.write(s).length <= maxBytes ? s : null;
  }

  /**
   * {@code text} shortened by at least {@code excess} bytes (and a margin for JSON escapes), marked
   * as cut; {@link #CUT} alone when nothing of it would be left.
   */
  private static String cut(String text, int excess) {
    if (text == null) {
      return null;
    }
    int keep = text.length() - excess - CUT.length() - 64;
    // Characters, not bytes: each removed character is at least one byte, so this is enough.
    if (keep <= 0) {
      return CUT;
    }
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + " " + CUT;
  }

  /** What replaces a field cut to fit a snapshot's bound. */
  static final String CUT = "(cut: the event was larger than alertbridge keeps)";

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

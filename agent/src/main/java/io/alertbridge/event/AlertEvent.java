package io.alertbridge.event;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoded alert. Values are kept as the producer sent them (control characters included): each
 * output channel sanitises or escapes for its own syntax, so nothing is lost for the audit trail.
 *
 * @param values numbers (as {@link java.math.BigDecimal} or {@link Long}) or strings
 */
public record AlertEvent(
    String id,
    Instant time,
    String source,
    String type,
    Severity severity,
    Status status,
    String summary,
    String description,
    Map<String, String> labels,
    Map<String, Object> values) {
  public AlertEvent {
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels == null ? Map.of() : labels));
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
  }
}

package io.alertbridge.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The audit line's JSON form: snake_case keys, ISO-8601 times, every key on every line. */
final class AuditJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // A line written by a newer version (one more key) is still read.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private AuditJson() {}

  static String encode(AuditRecord record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit records are plain data and always serialise", e);
    }
  }

  static AuditRecord decode(String line) {
    try {
      return JSON.readValue(line, AuditRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an audit line: " + e.getOriginalMessage(), e);
    }
  }
}

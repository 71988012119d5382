package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for state-store values and notification records. Unknown fields are ignored, so a newer
 * version can read state an older one wrote (and back, within one release's rolling upgrade).
 */
final class PolicyJson {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .visibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
          .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Event values are exact decimals; doubles would turn 87.30 into 87.3.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private PolicyJson() {}

  static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("policy state is plain data and always serialises", e);
    }
  }

  /** As {@code type}, so a value of a sealed type carries its kind. */
  static byte[] writeAs(Object value, Class<?> type) {
    try {
      return JSON.writerFor(type).writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("policy records are plain data and always serialise", e);
    }
  }

  static <T> T read(byte[] json, Class<T> type) throws IOException {
    return JSON.readValue(json, type);
  }

  /** Reads state this process wrote; a failure is a bug, not bad input. */
  static <T> T readState(byte[] json, Class<T> type) {
    try {
      return read(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable policy state of type " + type.getSimpleName(), e);
    }
  }
}

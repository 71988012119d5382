package io.alertbridge.delivery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumed Kafka record, detached from the client's types.
 *
 * @param headers the record's headers in order, values as bytes, as they go to the dead-letter
 *     topic
 * @param timestamp the record's timestamp (epoch ms), from which delivery latency is measured
 */
public record InboundRecord(
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    List<Map.Entry<String, byte[]>> headers,
    long timestamp) {
  public InboundRecord {
    headers = List.copyOf(headers);
  }

  /** Headers as UTF-8 text, the last value of a repeated key winning. */
  public Map<String, String> headerText() {
    Map<String, String> text = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> h : headers) {
      text.put(
          h.getKey(), h.getValue() == null ? "" : new String(h.getValue(), StandardCharsets.UTF_8));
    }
    return text;
  }

  /** What the record holds in memory, roughly: key, value and headers. */
  public long sizeInBytes() {
    long n = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Map.Entry<String, byte[]> h : headers) {
      n += h.getKey().length() + (h.getValue() == null ? 0 : h.getValue().length);
    }
    return n;
  }

  /** {@code topic-partition@offset}, how logs name a record. */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }
}

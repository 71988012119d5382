package io.alertbridge.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Kafka record value into an {@link AlertEvent}. Three shapes are accepted: a plain JSON
 * alert, a structured-mode CloudEvent ({@code application/cloudevents+json}, alert in {@code data})
 * and a binary-mode CloudEvent ({@code ce_*} headers, alert as the value). Anything else is an
 * {@link InvalidEventException} naming the first problem found.
 */
public final class EventDecoder {
  static final int MAX_ID_LENGTH = 256;
  private static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

  /** Nesting deeper than this is no alert: it only costs stack and time to parse. */
  static final int MAX_NESTING_DEPTH = 32;

  /** The longest number literal read at all (Jackson's default allows 1000 digits). */
  static final int MAX_NUMBER_LENGTH = 120;

  /** At most this many significant digits in a value; more is no measurement but an attack. */
  static final int MAX_SIGNIFICANT_DIGITS = 100;

  /** Decimal exponents a double can hold, so a template's number formatting stays bounded. */
  static final int MAX_EXPONENT = 308;

  static final int MIN_EXPONENT = -324;

  /**
   * The times an event may carry: RFC 3339's four-digit years. Beyond them the millisecond clocks
   * of Kafka, the policy's state and the metrics overflow ({@code +300000000-01-01T00:00:00Z}
   * parses, and threw deep inside delivery, issue 15), or come so close to overflowing that the
   * difference of two times does.
   */
  static final Instant EARLIEST_TIME = Instant.parse("0000-01-01T00:00:00Z");

  static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

  private final long maxBytes;
  private final ObjectMapper json;

  public EventDecoder(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, found " + maxBytes);
    }
    this.maxBytes = maxBytes;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    // The record's size is checked first; no string may be longer than it either.
                    .maxStringLength((int) Math.min(maxBytes, Integer.MAX_VALUE))
                    .build())
            .build();
    this.json =
        JsonMapper.builder(factory)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /**
   * @param headers the record's headers as UTF-8 text (last value of a repeated key wins)
   */
  public AlertEvent decode(byte[] value, Map<String, String> headers) throws InvalidEventException {
    if (value == null) {
      throw new InvalidEventException("record has no value (tombstone)");
    }
    if (value.length > maxBytes) {
      throw new InvalidEventException(
          "record value is "
              + value.length
              + " bytes; the limit (kafka.max-event-size) is "
              + maxBytes);
    }
    JsonNode root = parse(value);
    if (headers.containsKey("ce_specversion")) {
      return fromFields(object(root, "record value"), ceHeaders(headers));
    }
    boolean structured =
        headers
                .getOrDefault("content-type", "")
                .toLowerCase(Locale.ROOT)
                .startsWith(STRUCTURED_CONTENT_TYPE)
            || (root.isObject() && root.has("specversion") && root.has("data"));
    if (structured) {
      ObjectNode envelope = object(root, "CloudEvent");
      if (envelope.has("data_base64")) {
        throw new InvalidEventException(
            "CloudEvent data_base64 is not supported; send data as JSON");
      }
      return fromFields(
          object(envelope.get("data"), "CloudEvent field 'data'"), ceAttributes(envelope));
    }
    return fromFields(object(root, "record value"), Map.of());
  }

  private JsonNode parse(byte[] value) throws InvalidEventException {
    try {
      JsonNode node = json.readTree(value);
      if (node == null || node.isMissingNode()) {
        throw new InvalidEventException("record value is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new InvalidEventException(
          "record value is not valid JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidEventException("record value could not be read: " + e.getMessage());
    }
  }

  private static ObjectNode object(JsonNode node, String what) throws InvalidEventException {
    if (node instanceof ObjectNode o) {
      return o;
    }
    throw new InvalidEventException(
        what + " must be a JSON object, found " + (node == null ? "nothing" : kind(node)));
  }

  /** The JSON type of a node as error messages name it: "number", "array", "object"... */
  private static String kind(JsonNode node) {
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  private static Map<String, String> ceHeaders(Map<String, String> headers) {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (String a : new String[] {"id", "source", "type", "time"}) {
      if (headers.containsKey("ce_" + a)) {
        attrs.put(a, headers.get("ce_" + a));
      }
    }
    return attrs;
  }

  private static Map<String, String> ceAttributes(ObjectNode envelope) {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (String a : new String[] {"id", "source", "type", "time"}) {
      if (envelope.path(a).isTextual()) {
        attrs.put(a, envelope.get(a).asText());
      }
    }
    return attrs;
  }

  /**
   * @param fallback CloudEvent attributes, used where the alert itself leaves id, source, type or
   *     time out
   */
  private static AlertEvent fromFields(ObjectNode o, Map<String, String> fallback)
      throws InvalidEventException {
    String id = requiredText(o, "id", fallback);
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidEventException("field 'id' is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidEventException("field 'id' contains a control character");
    }
    return new AlertEvent(
        id,
        time(requiredText(o, "time", fallback)),
        requiredText(o, "source", fallback),
        requiredText(o, "type", fallback),
        severity(requiredText(o, "severity", Map.of())),
        status(optionalText(o, "status")),
        optionalText(o, "summary"),
        optionalText(o, "description"),
        labels(o.get("labels")),
        values(o.get("values")));
  }

  private static String requiredText(ObjectNode o, String field, Map<String, String> fallback)
      throws InvalidEventException {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      if (fallback.containsKey(field)) {
        return fallback.get(field);
      }
      throw new InvalidEventException("required field '" + field + "' is missing");
    }
    if (!n.isTextual()) {
      throw new InvalidEventException("field '" + field + "' must be a string, found " + kind(n));
    }
    if (n.asText().isBlank()) {
      throw new InvalidEventException("field '" + field + "' must not be empty");
    }
    return n.asText();
  }

  private static String optionalText(ObjectNode o, String field) throws InvalidEventException {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidEventException("field '" + field + "' must be a string, found " + kind(n));
    }
    return n.asText();
  }

  private static Instant time(String text) throws InvalidEventException {
    Instant time;
    try {
      time = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(
          "field 'time' must be an RFC 3339 timestamp such as 2026-11-28T13:05:00Z, found \""
              + text
              + "\"");
    }
    if (time.isBefore(EARLIEST_TIME) || time.isAfter(LATEST_TIME)) {
      throw new InvalidEventException(
          "field 'time' is out of range: it must be within "
              + EARLIEST_TIME
              + " and "
              + LATEST_TIME
              + " (RFC 3339's four-digit years), found \""
              + text
              + "\"");
    }
    return time;
  }

  private static Severity severity(String text) throws InvalidEventException {
    for (Severity s : Severity.values()) {
      if (s.toString().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new InvalidEventException(
        "field 'severity' must be critical, warning or info, found \"" + text + "\"");
  }

  private static Status status(String text) throws InvalidEventException {
    if (text == null) {
      return Status.FIRING;
    }
    for (Status s : Status.values()) {
      if (s.toString().equalsIgnoreCase(text)) {
        return s;
      }
    }
    throw new InvalidEventException(
        "field 'status' must be firing or resolved, found \"" + text + "\"");
  }

  private static Map<String, String> labels(JsonNode node) throws InvalidEventException {
    Map<String, String> labels = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return labels;
    }
    if (!node.isObject()) {
      throw new InvalidEventException("field 'labels' must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new InvalidEventException(
            "label '" + e.getKey() + "' must be a string, found " + kind(e.getValue()));
      }
      labels.put(e.getKey(), e.getValue().asText());
    }
    return labels;
  }

  private static Map<String, Object> values(JsonNode node) throws InvalidEventException {
    Map<String, Object> values = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      throw new InvalidEventException("field 'values' must be an object of numbers or strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        values.put(e.getKey(), v.longValue());
      } else if (v.isNumber()) {
        values.put(e.getKey(), boundedDecimal(e.getKey(), v.decimalValue()));
      } else if (v.isTextual()) {
        values.put(e.getKey(), v.asText());
      } else {
        throw new InvalidEventException(
            "value '" + e.getKey() + "' must be a number or a string, found " + kind(v));
      }
    }
    return values;
  }

  /**
   * A number a template can print. {@code 1e999999999} is valid JSON, and {@code numberformat} or
   * {@code toPlainString()} would expand it to a billion digits; such values make the event invalid
   * instead.
   */
  static BigDecimal boundedDecimal(String field, BigDecimal d) throws InvalidEventException {
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    if (d.precision() > MAX_SIGNIFICANT_DIGITS) {
      throw new InvalidEventException(
          "value '"
              + field
              + "' has "
              + d.precision()
              + " significant digits; at most "
              + MAX_SIGNIFICANT_DIGITS
              + " are allowed");
    }
    long exponent = (long) d.precision() - d.scale() - 1;
    if (exponent > MAX_EXPONENT || exponent < MIN_EXPONENT) {
      throw new InvalidEventException(
          "value '"
              + field
              + "' is out of range: its magnitude must be within 1e"
              + MIN_EXPONENT
              + " and 1e"
              + MAX_EXPONENT
              + " (found an exponent of "
              + exponent
              + ")");
    }
    return d;
  }
}

package io.alertbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Silences in the JSON of Alertmanager's API v2 ({@code api/v2/openapi.yaml}: {@code
 * postableSilence}, {@code gettableSilence}). Unknown fields are ignored, as Alertmanager does.
 * {@code expireOnResolve} is alertbridge's own, optional.
 */
final class SilenceJson {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a client posted.
   *
   * @param id of the silence it replaces; null for a new one
   */
  record Posted(
      String id,
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String comment,
      boolean expireOnResolve) {}

  private SilenceJson() {}

  /**
   * @throws MatcherException saying what is missing or malformed
   */
  static Posted read(JsonNode n) {
    if (!n.isObject()) {
      throw new MatcherException("the body must be a JSON object (a postableSilence)");
    }
    JsonNode ms = n.path("matchers");
    if (!ms.isArray() || ms.isEmpty()) {
      throw new MatcherException("matchers: a non-empty array is required");
    }
    List<Matcher> matchers = new ArrayList<>();
    for (JsonNode m : ms) {
      if (!m.path("name").isTextual() || !m.path("value").isTextual()) {
        throw new MatcherException("matchers: each needs a string name and a string value");
      }
      matchers.add(
          ApiNames.matcher(
              m.get("name").asText(),
              m.get("value").asText(),
              bool(m, "isRegex", false),
              bool(m, "isEqual", true)));
    }
    String id = n.path("id").isTextual() ? n.get("id").asText() : null;
    return new Posted(
        id == null || id.isEmpty() ? null : id,
        matchers,
        time(n, "startsAt"),
        time(n, "endsAt"),
        n.path("comment").asText(""),
        bool(n, "expireOnResolve", false));
  }

  private static boolean bool(JsonNode n, String field, boolean absent) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isBoolean()) {
      throw new MatcherException(field + ": must be true or false");
    }
    return v.booleanValue();
  }

  private static Instant time(JsonNode n, String field) {
    if (!n.path(field).isTextual()) {
      throw new MatcherException(field + ": an RFC 3339 date-time is required");
    }
    try {
      return OffsetDateTime.parse(n.get(field).asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new MatcherException(field + ": not an RFC 3339 date-time like 2026-12-01T20:30:00Z");
    }
  }

  /**
   * A {@code gettableSilence}, its names as the API gives them ({@code alertname}, bare labels).
   */
  static ObjectNode write(Silence s, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", s.id());
    o.putObject("status").put("state", s.state(now).wireName());
    o.put("updatedAt", s.updatedAt().toString());
    ArrayNode ms = o.putArray("matchers");
    for (Matcher m : s.matchers()) {
      ms.addObject()
          .put("name", ApiNames.apiName(m.name()))
          .put("value", m.value())
          .put("isRegex", m.op().regex())
          .put("isEqual", m.op().equal());
    }
    o.put("startsAt", s.startsAt().toString());
    o.put("endsAt", s.endsAt().toString());
    o.put("createdBy", s.createdBy());
    o.put("comment", s.comment());
    o.put("expireOnResolve", s.expireOnResolve());
    return o;
  }
}

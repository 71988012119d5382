package io.alertbridge.silence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A silence as the value of its record on {@code STATE-silences} (the key is its id): a versioned
 * JSON object, matchers in the text {@link Matcher#parse} reads, so a reader re-validates them with
 * the same rules as the command line. Bounded both ways: a value is one record among thousands that
 * every instance reads at start.
 */
public final class SilenceJson {
  /** The one version written and read; another is refused, never guessed at. */
  public static final int VERSION = 1;

  /** Far above the largest valid silence (32 matchers of 1 KiB and a 4 KiB comment). */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private SilenceJson() {}

  /** A value that cannot be read as a silence: another version, bad JSON, a bad matcher. */
  public static final class UnreadableSilenceException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableSilenceException(String message) {
      super(message);
    }
  }

  /**
   * The record value of a silence.
   *
   * @throws MatcherException when it is larger than {@link #MAX_BYTES}
   */
  public static byte[] write(Silence s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("id", s.id());
    ArrayNode ms = o.putArray("matchers");
    s.matchers().forEach(m -> ms.add(m.toString()));
    o.put("startsAt", s.startsAt().toString());
    o.put("endsAt", s.endsAt().toString());
    o.put("createdBy", s.createdBy());
    o.put("comment", s.comment());
    o.put("expireOnResolve", s.expireOnResolve());
    o.put("updatedAt", s.updatedAt().toString());
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new MatcherException(
          "silence of " + bytes.length + " bytes: at most " + MAX_BYTES + " are stored");
    }
    return bytes;
  }

  /** Reads a record value written by {@link #write}. */
  public static Silence read(byte[] value) throws UnreadableSilenceException {
    if (value.length > MAX_BYTES) {
      throw new UnreadableSilenceException(
          "value of " + value.length + " bytes, more than " + MAX_BYTES);
    }
    JsonNode o;
    try {
      o = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      // The original message only: the full one adds the input's location on a second line.
      throw new UnreadableSilenceException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UnreadableSilenceException("not JSON: " + e.getMessage());
    }
    if (o == null || !o.isObject()) {
      throw new UnreadableSilenceException("not a JSON object");
    }
    if (!o.path("v").isInt() || o.path("v").asInt() != VERSION) {
      throw new UnreadableSilenceException(
          "version " + o.path("v") + ", this alertbridge reads version " + VERSION);
    }
    try {
      List<Matcher> matchers = new ArrayList<>();
      JsonNode ms = o.path("matchers");
      if (!ms.isArray()) {
        throw new UnreadableSilenceException("no matchers array");
      }
      for (JsonNode m : ms) {
        matchers.add(Matcher.parse(m.asText()));
      }
      return new Silence(
          text(o, "id"),
          matchers,
          Instant.parse(text(o, "startsAt")),
          Instant.parse(text(o, "endsAt")),
          text(o, "createdBy"),
          text(o, "comment"),
          o.path("expireOnResolve").asBoolean(false),
          Instant.parse(text(o, "updatedAt")));
    } catch (MatcherException | DateTimeParseException e) {
      throw new UnreadableSilenceException(e.getMessage());
    }
  }

  private static String text(JsonNode o, String field) throws UnreadableSilenceException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new UnreadableSilenceException("field " + field + " missing or not a string");
    }
    return n.asText();
  }
}

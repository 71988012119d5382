package io.alertbridge.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.SilenceStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Alertmanager's API v2 for silences, so that {@code amtool silence add/query/expire} and Grafana's
 * Alertmanager data source work against alertbridge unchanged. Errors are plain text, as
 * Alertmanager answers them. Writes need a bearer token ({@link WriteGate}); the token's holder is
 * the silence's author, whatever {@code createdBy} the client sent, so the audit log names who
 * really did it.
 */
final class SilenceApi {
  static final String PREFIX = "/api/v2/";
  private static final String ONE = PREFIX + "silence/";

  private final Writes writes;
  private final SilenceWrites changes;
  private final Supplier<String> version;
  private final Instant started;

  SilenceApi(Writes writes, Supplier<String> version, Instant started) {
    this.writes = writes;
    this.changes = new SilenceWrites(writes);
    this.version = version;
    this.started = started;
  }

  /** Whether a request to this path is a write (and so needs a token and a writer thread). */
  static boolean writes(HttpRequest r) {
    return r.method().equals("POST") || r.method().equals("DELETE");
  }

  HttpResponse handle(HttpRequest r) throws IOException {
    String path = r.path();
    boolean read = r.method().equals("GET") || r.method().equals("HEAD");
    if (path.equals(PREFIX + "status")) {
      return read ? status() : notAllowed("GET, HEAD");
    }
    if (path.equals(PREFIX + "silences")) {
      if (read) {
        return list(r.rawQuery());
      }
      return r.method().equals("POST")
          ? authorized(r, a -> post(r.body(), a))
          : notAllowed("GET, HEAD, POST");
    }
    if (path.startsWith(ONE) && path.length() > ONE.length()) {
      String id;
      try {
        id = decode(path.substring(ONE.length()));
      } catch (MatcherException e) {
        return HttpResponse.text(400, e.getMessage() + "\n");
      }
      if (read) {
        return one(id);
      }
      return r.method().equals("DELETE")
          ? authorized(r, a -> delete(id, a))
          : notAllowed("GET, HEAD, DELETE");
    }
    return HttpResponse.text(404, "not found\n");
  }

  private interface Write {
    HttpResponse as(String author) throws IOException;
  }

  private HttpResponse authorized(HttpRequest r, Write w) throws IOException {
    WriteGate.Verdict v = WriteGate.bearer(writes.tokens(), r.headers().get("authorization"));
    if (v.refusal() != null) {
      return v.refusal();
    }
    try {
      return w.as(v.author());
    } catch (MatcherException e) {
      return HttpResponse.text(400, e.getMessage() + "\n");
    } catch (SilenceStore.SilenceStoreException e) {
      return HttpResponse.text(500, "the silence was not stored: " + e.getMessage() + "\n");
    }
  }

  private HttpResponse post(byte[] body, String author) throws IOException {
    JsonNode n;
    try {
      n = SilenceJson.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return HttpResponse.text(400, "the body is not JSON: " + e.getOriginalMessage() + "\n");
    }
    SilenceJson.Posted p = SilenceJson.read(n == null ? SilenceJson.JSON.nullNode() : n);
    Optional<Silence> old = Optional.empty();
    if (p.id() != null) {
      old = writes.silences().get(p.id());
      if (old.isEmpty()) {
        return HttpResponse.text(404, "no silence has the id " + p.id() + "\n");
      }
    }
    Silence s =
        changes.add(
            p.matchers(), p.startsAt(), p.endsAt(), author, p.comment(), p.expireOnResolve());
    // Alertmanager replaces a posted id by expiring it and creating a new silence; the new one is
    // written first, so a failure between the two leaves both, never neither.
    old.ifPresent(o -> changes.expire(o.id(), author));
    ObjectNode answer = SilenceJson.JSON.createObjectNode().put("silenceID", s.id());
    return json(200, answer);
  }

  private HttpResponse delete(String id, String author) {
    return changes.expire(id, author).isPresent()
        ? HttpResponse.text(200, "")
        : HttpResponse.text(404, "no silence has the id " + id + "\n");
  }

  private HttpResponse one(String id) throws IOException {
    Optional<Silence> s = writes.silences().get(id);
    return s.isPresent()
        ? json(200, SilenceJson.write(s.get(), changes.now()))
        : HttpResponse.text(404, "no silence has the id " + id + "\n");
  }

  /** Alertmanager's order: active (ending first), pending (starting first), expired (latest). */
  private HttpResponse list(String rawQuery) throws IOException {
    List<Matcher> filter = new ArrayList<>();
    try {
      for (String f : params(rawQuery, "filter")) {
        filter.add(ApiNames.filter(f));
      }
    } catch (MatcherException e) {
      return HttpResponse.text(400, e.getMessage() + "\n");
    }
    Instant now = changes.now();
    Comparator<Silence> order =
        Comparator.<Silence>comparingInt(s -> rank(s.state(now)))
            .thenComparingLong(
                s ->
                    switch (s.state(now)) {
                      case ACTIVE -> s.endsAt().toEpochMilli();
                      case PENDING -> s.startsAt().toEpochMilli();
                      case EXPIRED -> -s.endsAt().toEpochMilli();
                    });
    ArrayNode all = SilenceJson.JSON.createArrayNode();
    writes.silences().all().stream()
        .filter(s -> s.matchers().containsAll(filter))
        .sorted(order)
        .forEach(s -> all.add(SilenceJson.write(s, now)));
    return json(200, all);
  }

  private static int rank(Silence.State s) {
    return switch (s) {
      case ACTIVE -> 0;
      case PENDING -> 1;
      case EXPIRED -> 2;
    };
  }

  /**
   * What Alertmanager's {@code /api/v2/status} says, honestly: no cluster, no Alertmanager
   * configuration. Grafana's data source checks its health with it, and amtool reads the version.
   */
  private HttpResponse status() throws IOException {
    ObjectNode o = SilenceJson.JSON.createObjectNode();
    o.putObject("cluster").put("status", "disabled").putArray("peers");
    ObjectNode v = o.putObject("versionInfo").put("version", version.get());
    for (String k : List.of("revision", "branch", "buildUser", "buildDate", "goVersion")) {
      v.put(k, "");
    }
    o.putObject("config").put("original", "");
    o.put("uptime", started.toString());
    return json(200, o);
  }

  private static HttpResponse json(int status, JsonNode n) throws IOException {
    return HttpResponse.of(status, "application/json", SilenceJson.JSON.writeValueAsString(n));
  }

  private static HttpResponse notAllowed(String allow) {
    return HttpResponse.text(405, "method not allowed: " + allow + "\n").with("Allow", allow);
  }

  /** Every value of a repeated query parameter ({@code filter=a&filter=b}), decoded. */
  static List<String> params(String rawQuery, String name) {
    List<String> values = new ArrayList<>();
    if (rawQuery == null) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && decode(pair.substring(0, eq)).equals(name)) {
        values.add(decode(pair.substring(eq + 1)));
      }
    }
    return values;
  }

  static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new MatcherException("not URL-encoded: a '%' must start a %XX escape");
    }
  }
}

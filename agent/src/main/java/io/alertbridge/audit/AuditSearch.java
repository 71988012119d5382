package io.alertbridge.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds audit lines: in the log and its rotations ({@code audit.jsonl.1}, {@code .2.gz}, {@code
 * -20261129}, …, oldest first). An event id finds its own line and, when that line says another
 * mail covers it (a {@code suppressed} line), that mail's lines too: from any event to the queue ID
 * the mail server logged.
 */
public final class AuditSearch {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to look for; null fields match anything. */
  public record Query(
      String eventId,
      String queueId,
      String messageId,
      String status,
      Instant since,
      Instant until) {}

  /** One matching line, as written, with the file it came from. */
  public record Match(Path file, String line, JsonNode json) {}

  /** What a search found, and how many lines it could not read (torn by a crash, say). */
  public record Result(List<Match> matches, int unreadable, List<Path> files) {}

  private AuditSearch() {}

  /** The log and its rotations, oldest first. */
  public static List<Path> files(Path log) throws IOException {
    Path dir = log.toAbsolutePath().getParent();
    String name = log.getFileName().toString();
    Pattern rotated = Pattern.compile(Pattern.quote(name) + "([.-][0-9]+)*(\\.gz)?");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> rotated.matcher(p.getFileName().toString()).matches())
          .filter(Files::isRegularFile)
          .sorted(
              Comparator.comparing(AuditSearch::modified)
                  .thenComparing(Path::toString, Comparator.reverseOrder()))
          .toList();
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  public static Result search(Path log, Query q) throws IOException {
    return search(log, line -> matches(line, q), q.eventId() != null, line -> within(line, q));
  }

  /**
   * Lines whose event id, Message-ID or queue ID is {@code id}, in one pass over the files (the
   * status page's search box), followed to the mails that cover matched events.
   */
  public static Result searchAnyId(Path log, String id) throws IOException {
    return search(
        log,
        line ->
            hasEvent(line, id)
                || id.equals(line.path("queue_id").asText(null))
                || bare(id).equals(bare(line.path("message_id").asText(""))),
        true,
        line -> true);
  }

  private static Result search(
      Path log, Predicate<JsonNode> match, boolean followEvents, Predicate<JsonNode> within)
      throws IOException {
    List<Path> files = files(log);
    int[] unreadable = {0};
    List<Match> direct = scan(files, match, unreadable);
    // Lines that name the mail covering a matched event: follow them to that mail's lines.
    Set<String> covering = new LinkedHashSet<>();
    if (followEvents) {
      for (Match m : direct) {
        if (m.json().path("status").asText().equals("suppressed")
            && !m.json().path("message_id").isNull()
            && !m.json().path("message_id").asText().isEmpty()) {
          covering.add(m.json().path("message_id").asText());
        }
      }
    }
    if (covering.isEmpty()) {
      return new Result(direct, unreadable[0], files);
    }
    int[] ignored = {0};
    List<Match> all =
        scan(
            files,
            line ->
                match.test(line)
                    || (covering.contains(line.path("message_id").asText())
                        && !line.path("status").asText().equals("suppressed")
                        && within.test(line)),
            ignored);
    return new Result(all, unreadable[0], files);
  }

  private static List<Match> scan(List<Path> files, Predicate<JsonNode> keep, int[] unreadable)
      throws IOException {
    List<Match> out = new ArrayList<>();
    for (Path f : files) {
      try (BufferedReader r = reader(f)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode json;
          try {
            json = JSON.readTree(line);
          } catch (IOException e) {
            unreadable[0]++;
            continue;
          }
          if (json != null && json.isObject() && keep.test(json)) {
            out.add(new Match(f, line, json));
          }
        }
      }
    }
    return out;
  }

  private static BufferedReader reader(Path f) throws IOException {
    InputStream in = Files.newInputStream(f);
    if (f.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  static boolean matches(JsonNode line, Query q) {
    if (q.eventId() != null && !hasEvent(line, q.eventId())) {
      return false;
    }
    if (q.queueId() != null && !q.queueId().equals(line.path("queue_id").asText(null))) {
      return false;
    }
    if (q.messageId() != null
        && !bare(q.messageId()).equals(bare(line.path("message_id").asText("")))) {
      return false;
    }
    if (q.status() != null && !q.status().equals(line.path("status").asText())) {
      return false;
    }
    return within(line, q);
  }

  private static boolean within(JsonNode line, Query q) {
    if (q.since() == null && q.until() == null) {
      return true;
    }
    Instant t;
    try {
      t = Instant.parse(line.path("time").asText());
    } catch (RuntimeException e) {
      return false;
    }
    return (q.since() == null || !t.isBefore(q.since()))
        && (q.until() == null || t.isBefore(q.until()));
  }

  private static boolean hasEvent(JsonNode line, String id) {
    if (id.equals(line.path("event_id").asText(null))) {
      return true;
    }
    for (JsonNode e : line.path("event_ids")) {
      if (id.equals(e.asText())) {
        return true;
      }
    }
    return false;
  }

  /** Message-IDs compare without their angle brackets, so either spelling finds the line. */
  private static String bare(String messageId) {
    String s = messageId.trim();
    return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
  }
}

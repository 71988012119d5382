package io.alertbridge.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds audit lines: in the log and its rotations ({@code audit.jsonl.1}, {@code .2.gz}, {@code
 * -20261129}, …, oldest first). An event id finds its own line and, when that line says another
 * mail covers it (a {@code suppressed} line), that mail's lines too: from any event to the queue ID
 * the mail server logged.
 */
public final class AuditSearch {
  /**
   * What to look for; null fields match anything. {@code anyId} is the status page's search box: a
   * line whose event id, queue ID or Message-ID is that value.
   */
  public record Query(
      String eventId,
      String queueId,
      String messageId,
      String anyId,
      String status,
      Instant since,
      Instant until) {
    /** The command line's query: every field but {@code anyId}. */
    public Query(
        String eventId,
        String queueId,
        String messageId,
        String status,
        Instant since,
        Instant until) {
      this(eventId, queueId, messageId, null, status, since, until);
    }

    /** Lines whose event id, queue ID or Message-ID is {@code id}. */
    public static Query anyId(String id) {
      return new Query(null, null, null, id, null, null, null);
    }

    /** An event's line may name the mail that covered it: follow it there. */
    boolean followsEvents() {
      return eventId != null || anyId != null;
    }
  }

  /**
   * How much one search may cost. A search that reaches a bound stops there and says so; the newest
   * files are read first, so a bounded search still finds recent lines in a huge log.
   *
   * @param time wall time, measured on the search's clock
   * @param bytes characters of log read, compressed rotations counted uncompressed
   * @param matches lines returned
   */
  public record Budget(Duration time, long bytes, int matches) {
    /** The command line's: an operator at a terminal can wait, and can press Ctrl-C. */
    public static final Budget UNLIMITED =
        new Budget(Duration.ofSeconds(Long.MAX_VALUE), Long.MAX_VALUE, Integer.MAX_VALUE);

    public Budget {
      Objects.requireNonNull(time, "time");
      if (time.isNegative() || time.isZero() || bytes <= 0 || matches <= 0) {
        throw new IllegalArgumentException("a search budget must be positive: " + this);
      }
    }
  }

  /** One matching line, as written, with the file it came from. */
  public record Match(Path file, String line, JsonNode json) {}

  /**
   * What a search found, and how many lines it could not read (torn by a crash, say).
   *
   * @param stoppedBy null when every file was read; else which bound stopped the search, e.g. "the
   *     limit of 200 lines"
   */
  public record Result(List<Match> matches, int unreadable, List<Path> files, String stoppedBy) {}

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

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** The whole log, however long it takes: the command line's search. */
  public static Result search(Path log, Query q) throws IOException {
    return search(log, q, Budget.UNLIMITED, Clock.systemUTC());
  }

  /**
   * Lines that match {@code q}, followed to the mails that cover matched events. The status filter
   * applies last, so {@code --event-id X --status sent} finds the mail that covered a grouped X.
   */
  public static Result search(Path log, Query q, Budget budget, Clock clock) throws IOException {
    List<Path> files = files(log);
    LineScan scan = new LineScan(budget, clock);
    // First pass: the lines the query names, and the mails that their suppressed lines point to.
    Set<String> covering = new LinkedHashSet<>();
    List<Match> direct =
        scan.run(
            files,
            needles(q, Set.of()),
            line -> {
              if (q.followsEvents() && identifies(line, q) && within(line, q)) {
                coveringMail(line).ifPresent(covering::add);
              }
              return matches(line, q, Set.of());
            });
    if (covering.isEmpty() || scan.stoppedBy() != null) {
      return new Result(direct, scan.unreadable(), files, scan.stoppedBy());
    }
    // Second pass: the same lines again, and those of the covering mails, in the log's order.
    LineScan again = scan.next();
    List<Match> all = again.run(files, needles(q, covering), line -> matches(line, q, covering));
    return new Result(all, scan.unreadable(), files, again.stoppedBy());
  }

  /**
   * The one matching rule: the query's ids (or a mail covering a matched event, in {@code
   * covering}), its time window and its status.
   */
  static boolean matches(JsonNode line, Query q, Set<String> covering) {
    boolean named =
        identifies(line, q)
            || (covering.contains(bare(line.path("message_id").asText("")))
                && !line.path("status").asText().equals("suppressed"));
    return named
        && within(line, q)
        && (q.status() == null || q.status().equals(line.path("status").asText()));
  }

  private static boolean identifies(JsonNode line, Query q) {
    String messageId = bare(line.path("message_id").asText(""));
    String queueId = line.path("queue_id").asText(null);
    return (q.eventId() == null || hasEvent(line, q.eventId()))
        && (q.queueId() == null || q.queueId().equals(queueId))
        && (q.messageId() == null || bare(q.messageId()).equals(messageId))
        && (q.anyId() == null
            || hasEvent(line, q.anyId())
            || q.anyId().equals(queueId)
            || bare(q.anyId()).equals(messageId));
  }

  private static Optional<String> coveringMail(JsonNode line) {
    String messageId = line.path("message_id").asText("");
    return line.path("status").asText().equals("suppressed") && !messageId.isEmpty()
        ? Optional.of(bare(messageId))
        : Optional.empty();
  }

  /**
   * Strings a matching line must contain as written, so that most lines are skipped without parsing
   * them; empty when the query names no id (a status or time search reads every line).
   */
  private static Set<String> needles(Query q, Set<String> covering) {
    String id =
        Stream.of(q.eventId(), q.queueId(), bare(q.messageId()), bare(q.anyId()))
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (id == null || !LineScan.literal(id)) {
      return Set.of();
    }
    Set<String> all = new LinkedHashSet<>(covering);
    all.add(id);
    return all.stream().allMatch(LineScan::literal) ? all : Set.of();
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
    if (messageId == null) {
      return null;
    }
    String s = messageId.trim();
    return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
  }
}

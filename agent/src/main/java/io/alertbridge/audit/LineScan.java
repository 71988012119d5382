package io.alertbridge.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * One pass over the audit files within a {@link AuditSearch.Budget}: newest file first (a bounded
 * search then still covers the recent past), matches returned in the log's order.
 */
final class LineScan {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The clock is read every this many lines: reading it per line would cost more than the line. */
  private static final int LINES_PER_CLOCK_READ = 256;

  private final AuditSearch.Budget budget;
  private final Clock clock;
  private final Instant deadline;
  private final long[] bytesRead;
  private int unreadable;
  private int found;
  private String stoppedBy;

  LineScan(AuditSearch.Budget budget, Clock clock) {
    this(budget, clock, deadline(clock.instant(), budget), new long[1]);
  }

  private LineScan(AuditSearch.Budget budget, Clock clock, Instant deadline, long[] bytesRead) {
    this.budget = budget;
    this.clock = clock;
    this.deadline = deadline;
    this.bytesRead = bytesRead;
  }

  private static Instant deadline(Instant now, AuditSearch.Budget budget) {
    try {
      return now.plus(budget.time());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      return Instant.MAX;
    }
  }

  /** A further pass that spends what is left of the same time and bytes. */
  LineScan next() {
    return new LineScan(budget, clock, deadline, bytesRead);
  }

  /**
   * The lines that contain one of {@code needles} (any line when empty) and pass {@code keep}.
   * Lines without a needle are not parsed: a torn line among them is told by its missing brace.
   */
  List<AuditSearch.Match> run(List<Path> files, Set<String> needles, Predicate<JsonNode> keep)
      throws IOException {
    List<List<AuditSearch.Match>> perFile = new ArrayList<>();
    long lines = 0;
    for (int i = files.size() - 1; i >= 0 && stoppedBy == null; i--) {
      Path f = files.get(i);
      List<AuditSearch.Match> out = new ArrayList<>();
      perFile.add(0, out);
      try (BufferedReader r = reader(f)) {
        String line;
        while (stoppedBy == null && (line = r.readLine()) != null) {
          bytesRead[0] += line.length() + 1;
          if (++lines % LINES_PER_CLOCK_READ == 0 && clock.instant().isAfter(deadline)) {
            stoppedBy = "the time limit of " + budget.time().toSeconds() + " s";
          } else if (bytesRead[0] > budget.bytes()) {
            stoppedBy = "the limit of " + size(budget.bytes()) + " read";
          }
          JsonNode json = candidate(line, needles);
          if (json != null && keep.test(json)) {
            out.add(new AuditSearch.Match(f, line, json));
            if (++found >= budget.matches()) {
              stoppedBy = "the limit of " + budget.matches() + " lines";
            }
          }
        }
      } catch (NoSuchFileException ignored) {
        // Rotated away (logrotate deleted the oldest) after the listing: nothing left to read.
      }
    }
    List<AuditSearch.Match> all = new ArrayList<>();
    perFile.forEach(all::addAll);
    return all;
  }

  private JsonNode candidate(String line, Set<String> needles) {
    if (line.isBlank()) {
      return null;
    }
    if (!needles.isEmpty() && needles.stream().noneMatch(line::contains)) {
      String s = line.strip();
      if (!s.startsWith("{") || !s.endsWith("}")) {
        unreadable++;
      }
      return null;
    }
    try {
      JsonNode json = JSON.readTree(line);
      return json != null && json.isObject() ? json : null;
    } catch (IOException e) {
      unreadable++;
      return null;
    }
  }

  /**
   * Whether {@code s} appears in a line exactly as written: JSON escapes quotes, backslashes and
   * control characters, so a needle holding one of them might not.
   */
  static boolean literal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static String size(long bytes) {
    long mib = 1024 * 1024;
    return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
  }

  int unreadable() {
    return unreadable;
  }

  /** Null when every file was read to its end. */
  String stoppedBy() {
    return stoppedBy;
  }

  private static BufferedReader reader(Path f) throws IOException {
    InputStream in = Files.newInputStream(f);
    if (f.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}

package io.alertbridge.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a daemon's audit log (docs/audit.md) and keeps the distinct event ids it accounts for:
 * {@code event_id} and every id of {@code event_ids}, from lines that are outcomes ({@code
 * uncertain} and {@code skewed} are notes). Reads only what was appended since the last call, so a
 * benchmark can poll a log of 100,000 lines every 100 ms.
 */
final class AuditTail {
  private static final Pattern ID = Pattern.compile("\"event_id\":\"([^\"]*)\"");
  private static final Pattern IDS = Pattern.compile("\"event_ids\":\\[([^\\]]*)\\]");
  private static final Pattern NOTE = Pattern.compile("\"status\":\"(uncertain|skewed)\"");

  private final Path file;
  private final Set<String> ids = new HashSet<>();
  private long position;
  private long lines;
  private long lastGrowthNanos = System.nanoTime();

  AuditTail(Path file) {
    this.file = file;
  }

  /** Reads the lines appended since the last call; returns the distinct event ids so far. */
  int poll() throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    int before = ids.size();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      if (f.length() <= position) {
        return ids.size();
      }
      byte[] tail = new byte[(int) Math.min(f.length() - position, 64 << 20)];
      f.seek(position);
      f.readFully(tail);
      // Only whole lines: the daemon may be in the middle of appending the last one.
      int end = tail.length;
      while (end > 0 && tail[end - 1] != '\n') {
        end--;
      }
      position += end;
      new String(tail, 0, end, StandardCharsets.UTF_8).lines().forEach(this::add);
    }
    if (ids.size() > before) {
      lastGrowthNanos = System.nanoTime();
    }
    return ids.size();
  }

  private void add(String line) {
    lines++;
    if (NOTE.matcher(line).find()) {
      return;
    }
    Matcher one = ID.matcher(line);
    if (one.find()) {
      ids.add(one.group(1));
    }
    Matcher many = IDS.matcher(line);
    if (many.find() && !many.group(1).isBlank()) {
      for (String quoted : many.group(1).split(",")) {
        ids.add(quoted.trim().replace("\"", ""));
      }
    }
  }

  int distinctIds() {
    return ids.size();
  }

  /** The ids seen so far, for a union over several instances' logs. */
  Set<String> ids() {
    return java.util.Collections.unmodifiableSet(ids);
  }

  long lines() {
    return lines;
  }

  /** Seconds since the last poll that found a new event id (or since this tail was made). */
  double secondsSinceGrowth() {
    return (System.nanoTime() - lastGrowthNanos) / 1e9;
  }
}

package io.alertbridge.inbound;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the command of a reply: its first non-empty line that does not start with {@code >}. Only
 * that line counts, and it must be the whole command, so that a sentence that happens to contain
 * "ack", or the quoted alert, never acknowledges anything.
 */
final class CommandReader {
  private static final Pattern ACK =
      Pattern.compile(
          "ack(?:\\s+([0-9]{1,6})\\s*([smhd]))?|(unack)",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

  /** Zero-width and direction marks that clients put around text: invisible, so not text. */
  private static final String INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff";

  /**
   * Longer than any command with its trailing punctuation: {@code unack} or {@code ack 999999d}.
   */
  private static final int MAX_COMMAND = 64;

  private CommandReader() {}

  static Optional<Command> read(String text) {
    for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); ) {
      String line = strip(lines.next());
      if (line.isEmpty() || line.startsWith(">")) {
        continue;
      }
      // Only this line counts. A reply separator ("On ... wrote:", "-----Original Message-----",
      // Outlook's "From: ..." block) is not a command, so text below it is never read.
      return command(line);
    }
    return Optional.empty();
  }

  /** A line without surrounding white space, including no-break and zero-width spaces. */
  private static String strip(String line) {
    int start = 0;
    int end = line.length();
    while (start < end && blank(line.charAt(start))) {
      start++;
    }
    while (end > start && blank(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(start, end);
  }

  private static boolean blank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || INVISIBLE.indexOf(c) >= 0;
  }

  static Optional<Command> command(String line) {
    if (line.length() > MAX_COMMAND) {
      return Optional.empty(); // no command is this long; and no regex then sees a stranger's line
    }
    int end = line.length();
    while (end > 0 && (blank(line.charAt(end - 1)) || ".!,;:".indexOf(line.charAt(end - 1)) >= 0)) {
      end--;
    }
    Matcher m = ACK.matcher(line.substring(0, end));
    if (!m.matches()) {
      return Optional.empty();
    }
    if (m.group(3) != null) {
      return Optional.of(new Command.Unack());
    }
    if (m.group(1) == null) {
      return Optional.of(new Command.Ack(Optional.empty()));
    }
    long n = Long.parseLong(m.group(1));
    if (n == 0) {
      return Optional.empty(); // "ack 0m" asks for nothing; better refused than guessed
    }
    Duration ttl =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    return Optional.of(new Command.Ack(Optional.of(ttl)));
  }
}

package io.alertbridge.inbound;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the MIME parts of a raw message before it is parsed. Jakarta Mail parses each multipart
 * level whole, so 10 MB of empty parts at one level would become a million objects before the walk
 * could count them; this scan costs one pass over the bytes.
 */
final class RawScan {
  private static final Pattern BOUNDARY =
      Pattern.compile(
          "boundary\\s*=\\s*(?:\"([^\"\\r\\n]{1,200})\"|([^\\s;\"]{1,200}))",
          Pattern.CASE_INSENSITIVE);

  private RawScan() {}

  /** Lines that open or close a part of a declared boundary; at most {@code stopAt} counted. */
  static int delimiterLines(byte[] raw, int stopAt) {
    String s = new String(raw, StandardCharsets.ISO_8859_1);
    Set<String> boundaries = new LinkedHashSet<>();
    Matcher m = BOUNDARY.matcher(s);
    while (m.find() && boundaries.size() <= stopAt) {
      boundaries.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    if (boundaries.size() > stopAt) {
      return boundaries.size();
    }
    int count = 0;
    int line = 0;
    while (line < s.length() && count <= stopAt) {
      if (s.startsWith("--", line)) {
        for (String b : boundaries) {
          if (s.startsWith(b, line + 2)) {
            count++;
            break;
          }
        }
      }
      int next = s.indexOf('\n', line);
      line = next < 0 ? s.length() : next + 1;
    }
    return count;
  }
}

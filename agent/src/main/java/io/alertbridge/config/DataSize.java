package io.alertbridge.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes, written as {@code 1048576}, {@code 512KiB} or {@code 1MiB}. */
public record DataSize(long bytes) {
  public static final String RULE = "must be a size such as 1048576, 512KiB or 1MiB";

  private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  public static DataSize ofMebibytes(long n) {
    return new DataSize(n * 1024 * 1024);
  }

  public static Optional<DataSize> parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift =
        switch (unit) {
          case "KiB" -> 10;
          case "MiB" -> 20;
          case "GiB" -> 30;
          default -> 0;
        };
    return Optional.of(new DataSize(n << shift));
  }

  @Override
  public String toString() {
    if (bytes > 0 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes > 0 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return Long.toString(bytes);
  }
}

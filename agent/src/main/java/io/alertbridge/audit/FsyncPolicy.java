package io.alertbridge.audit;

import java.util.Locale;
import java.util.Optional;

/**
 * When appended lines are forced to the disk ({@code fsync}). A line is always written whole to the
 * operating system before {@code append} returns, so a crash of the process loses nothing; this
 * decides what a crash of the machine (power loss, kernel panic) may lose.
 */
public enum FsyncPolicy {
  /** After every line: nothing acknowledged is lost, at the cost of one disk flush per mail. */
  ALWAYS,
  /** At most once per interval, and on close: a power loss may lose the last interval's lines. */
  INTERVAL,
  /** Never explicitly: the operating system writes back when it likes (usually within 30 s). */
  NEVER;

  public static final String RULE = "must be one of always, interval, never";

  public static Optional<FsyncPolicy> parse(String text) {
    for (FsyncPolicy p : values()) {
      if (p.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

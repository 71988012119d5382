package io.alertbridge.silence;

import java.time.Instant;
import java.util.List;

/**
 * What a new silence must satisfy, checked by every store before it writes one: silences come from
 * the network and the command line, so each rule is enforced once, here, with a message that names
 * the input and the rule (issue 17, "Bad input and limits").
 */
public final class SilenceRules {
  public static final int MAX_MATCHERS = 32;

  /** Pending and active silences together; more would make every alert's look-up slow. */
  public static final int MAX_IN_FORCE = 10_000;

  public static final int MAX_CREATED_BY = 256;
  public static final int MAX_COMMENT = 4096;

  static final String MATCHES_EVERYTHING =
      "a silence needs a matcher that an alert without the field fails, or it silences every alert";

  private SilenceRules() {}

  /**
   * Checks a new silence.
   *
   * @param now this instance's clock: the end must lie ahead of it
   * @param inForce how many silences are pending or active now
   * @throws MatcherException at the first rule broken, naming the input and the rule
   */
  public static void check(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment,
      Instant now,
      int inForce) {
    checkMatchers(matchers);
    checkTimes(startsAt, endsAt, now);
    checkText("createdBy", createdBy, MAX_CREATED_BY);
    checkText("comment", comment, MAX_COMMENT);
    if (inForce >= MAX_IN_FORCE) {
      throw new MatcherException(
          inForce
              + " silences are pending or active: at most "
              + MAX_IN_FORCE
              + " are allowed; expire some first");
    }
  }

  /** The matchers alone: at least one, at most {@link #MAX_MATCHERS}, one that narrows. */
  public static void checkMatchers(List<Matcher> matchers) {
    if (matchers == null || matchers.isEmpty()) {
      throw new MatcherException("matchers []: a silence needs at least one matcher");
    }
    if (matchers.size() > MAX_MATCHERS) {
      throw new MatcherException(
          matchers.size() + " matchers: a silence has at most " + MAX_MATCHERS);
    }
    if (matchers.stream().allMatch(Matcher::matchesEmpty)) {
      throw new MatcherException("matchers " + matchers + ": " + MATCHES_EVERYTHING);
    }
  }

  private static void checkTimes(Instant startsAt, Instant endsAt, Instant now) {
    if (startsAt == null || endsAt == null) {
      throw new MatcherException(
          (startsAt == null ? "startsAt" : "endsAt") + ": a silence needs a start and an end");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new MatcherException("endsAt " + endsAt + ": must be after startsAt " + startsAt);
    }
    if (!endsAt.isAfter(now)) {
      throw new MatcherException("endsAt " + endsAt + ": must be in the future (now " + now + ")");
    }
  }

  private static void checkText(String name, String value, int max) {
    if (value == null || value.isBlank()) {
      throw new MatcherException(name + " \"" + (value == null ? "" : value) + "\": required");
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new MatcherException(name + ": must be one line, found a line break");
    }
    if (value.length() > max) {
      throw new MatcherException(
          name + " of " + value.length() + " characters: at most " + max + " are allowed");
    }
  }
}

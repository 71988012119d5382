package io.alertbridge.web;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every silence change made over HTTP, from the API or the status page's forms: checked the same
 * way, written to the store, and then told to the {@link WriteLog} with its author.
 */
final class SilenceWrites {
  private final Writes writes;

  SilenceWrites(Writes writes) {
    this.writes = writes;
  }

  Instant now() {
    return writes.clock().instant();
  }

  /**
   * A new silence.
   *
   * @throws MatcherException when it breaks a rule, saying which (the API answers 400 with it)
   */
  Silence add(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String author,
      String comment,
      boolean expireOnResolve) {
    if (matchers.isEmpty()) {
      throw new MatcherException("a silence needs at least one matcher");
    }
    if (matchers.stream().allMatch(Matcher::matchesEmpty)) {
      throw new MatcherException(
          "silence "
              + matchers
              + " would match every alert: at least one matcher must not match the empty value");
    }
    if (!startsAt.isBefore(endsAt)) {
      throw new MatcherException("the silence's start time must be before its end time");
    }
    if (endsAt.isBefore(now())) {
      throw new MatcherException("the silence's end time must not be in the past");
    }
    Silence s = writes.silences().add(matchers, startsAt, endsAt, author, comment, expireOnResolve);
    writes.log().silenceAdded(s, author);
    return s;
  }

  /**
   * Ends a silence now; one already over is left as it is.
   *
   * @return the silence as it now stands; empty when there is none with that id
   */
  Optional<Silence> expire(String id, String author) {
    Optional<Silence> current = writes.silences().get(id);
    if (current.isEmpty() || current.get().state(now()) == Silence.State.EXPIRED) {
      return current;
    }
    Optional<Silence> expired = writes.silences().expire(id);
    expired.ifPresent(s -> writes.log().silenceExpired(s, author));
    return expired;
  }
}

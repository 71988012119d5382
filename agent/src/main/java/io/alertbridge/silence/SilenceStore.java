package io.alertbridge.silence;

import java.time.Instant;
import java.util.List;

/**
 * Writes silences to {@code STATE-silences}, where every instance reads them. Each write is
 * validated first ({@link SilenceRules}) and is durable on return (acknowledged by the broker).
 */
public interface SilenceStore extends Silences {
  /**
   * A new silence, its id chosen here.
   *
   * @throws MatcherException when it breaks a rule (no effective matcher, end not after start, too
   *     many active silences, …), naming the rule
   * @throws SilenceStoreException when Kafka did not take it
   */
  Silence add(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment,
      boolean expireOnResolve);

  /**
   * Ends a silence now.
   *
   * @return the expired silence; empty when no silence has that id
   * @throws SilenceStoreException when Kafka did not take it
   */
  java.util.Optional<Silence> expire(String id);

  /** Kafka did not acknowledge a write in time, or refused it. */
  final class SilenceStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SilenceStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

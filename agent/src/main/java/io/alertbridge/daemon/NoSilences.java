package io.alertbridge.daemon;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.SilenceStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The silence store of the direct path ({@code policy.enabled: false}), which has none: the API
 * lists nothing and refuses a new silence with the reason (400), while {@code POST /-/reload} works
 * as on the policy path.
 */
final class NoSilences implements SilenceStore {
  static final String WHY =
      "silences need the notification policy (policy.enabled: true): this instance mails every"
          + " record at once";

  @Override
  public Silence add(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment,
      boolean expireOnResolve) {
    throw new MatcherException(WHY);
  }

  @Override
  public Optional<Silence> expire(String id) {
    return Optional.empty();
  }

  @Override
  public Optional<Silence> silencing(AlertFields alert, Instant at) {
    return Optional.empty();
  }

  @Override
  public List<Silence> all() {
    return List.of();
  }
}

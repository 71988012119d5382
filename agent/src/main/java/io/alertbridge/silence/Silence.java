package io.alertbridge.silence;

import java.time.Instant;
import java.util.List;

/**
 * An operator's silence: while active, events of the alerts its matchers all match are audited
 * {@code suppressed} with reason {@code silenced} and not mailed; when it ends, what still fires is
 * mailed. Immutable; a change (an expiry) is a new value with the same id.
 *
 * @param startsAt may lie ahead: planned maintenance
 * @param expireOnResolve it ends once every alert it matched has resolved
 * @param updatedAt when this value was written, so the newest of two writers wins
 */
public record Silence(
    String id,
    List<Matcher> matchers,
    Instant startsAt,
    Instant endsAt,
    String createdBy,
    String comment,
    boolean expireOnResolve,
    Instant updatedAt) {
  public Silence {
    matchers = List.copyOf(matchers);
  }

  /** Alertmanager's states: not yet started, in force, or over. */
  public enum State {
    PENDING,
    ACTIVE,
    EXPIRED;

    /** As Alertmanager's API writes it: {@code pending}, {@code active}, {@code expired}. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public State state(Instant now) {
    if (!now.isBefore(endsAt)) {
      return State.EXPIRED;
    }
    return now.isBefore(startsAt) ? State.PENDING : State.ACTIVE;
  }

  public boolean activeAt(Instant now) {
    return state(now) == State.ACTIVE;
  }

  /** Whether every matcher matches the alert. */
  public boolean matches(AlertFields alert) {
    for (Matcher m : matchers) {
      if (!m.matches(alert)) {
        return false;
      }
    }
    return true;
  }

  /** This silence ended at {@code at} (it expires no later than it would have). */
  public Silence expiredAt(Instant at) {
    Instant end = at.isBefore(endsAt) ? at : endsAt;
    Instant start = startsAt.isAfter(end) ? end : startsAt;
    // Newer than the value it replaces even when this clock is behind the writer's: readers keep
    // the newest by updatedAt, and an expiry they dropped would leave the silence in force.
    Instant updated = updatedAt.isBefore(at) ? at : updatedAt.plusMillis(1);
    return new Silence(id, matchers, start, end, createdBy, comment, expireOnResolve, updated);
  }
}

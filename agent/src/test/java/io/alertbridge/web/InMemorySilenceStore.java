package io.alertbridge.web;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.SilenceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A silence store in memory, for tests of the HTTP side: the Kafka store has its own tests. It
 * applies no rules of its own, so what a test sees refused was refused by the web package.
 */
public final class InMemorySilenceStore implements SilenceStore {
  private final Clock clock;
  private final Map<String, Silence> byId = new LinkedHashMap<>();

  public InMemorySilenceStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Silence add(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment,
      boolean expireOnResolve) {
    Silence s =
        new Silence(
            UUID.randomUUID().toString(),
            matchers,
            startsAt,
            endsAt,
            createdBy,
            comment,
            expireOnResolve,
            clock.instant());
    byId.put(s.id(), s);
    return s;
  }

  @Override
  public synchronized Optional<Silence> expire(String id) {
    Silence s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    Silence expired = s.expiredAt(clock.instant());
    byId.put(id, expired);
    return Optional.of(expired);
  }

  @Override
  public synchronized Optional<Silence> silencing(AlertFields alert, Instant at) {
    return byId.values().stream()
        .filter(s -> s.activeAt(at) && s.matches(alert))
        .max(Comparator.comparing(Silence::endsAt));
  }

  @Override
  public synchronized List<Silence> all() {
    List<Silence> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(Silence::updatedAt).reversed());
    return all;
  }

  /** Silences in force or planned at the clock's now. */
  public synchronized List<Silence> unexpired() {
    Instant now = clock.instant();
    return byId.values().stream().filter(s -> s.state(now) != Silence.State.EXPIRED).toList();
  }
}

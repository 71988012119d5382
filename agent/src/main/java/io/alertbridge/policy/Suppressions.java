package io.alertbridge.policy;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Silence;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether an alert is to be kept out of mails now, and why: a silence covers it, or a firing source
 * alert inhibits it. Asked when a reading comes (its audit line says so) and again when its group
 * mails (what was silenced then may not be now), as Alertmanager asks at each flush.
 */
final class Suppressions {
  /**
   * Why an alert is not mailed now.
   *
   * @param reason {@link PolicyAudit#SILENCED} or {@link PolicyAudit#INHIBITED}
   * @param cause the silence's id, or the inhibiting alert's fingerprint
   * @param until when to look again: the silence's end; 0 for an inhibition, which ends when its
   *     source resolves, seen at the group's next interval
   */
  record Why(String reason, String cause, long until) {}

  private final PolicyTopology.Wiring w;

  /** The silences that expire on resolve, derived from the last list seen (usually none). */
  private java.util.List<Silence> seenAll = java.util.List.of();

  private java.util.List<Silence> expiringOnResolve = java.util.List.of();

  Suppressions(PolicyTopology.Wiring w) {
    this.w = w;
  }

  /** An answer and what it depends on: the silences, the watched alerts, the rules, the time. */
  private record Known(
      java.util.List<Silence> silences,
      long watched,
      PolicyRules rules,
      long validUntil,
      Optional<Why> why) {}

  /**
   * Answers by alert (its fingerprint and severity: what matchers see). An alert that is news for a
   * while (a group waiting for its interval) is asked about at every reading; with many silences, a
   * tenth of them regular expressions that no index can narrow, asking again cost the policy a
   * fifth of its events per second (OperatorsBenchmark).
   */
  private final java.util.Map<String, Known> known =
      new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Known> eldest) {
          return size() > MAX_KNOWN;
        }
      };

  static final int MAX_KNOWN = 4096;

  /** Every start and end of the silences last seen, sorted: when an answer may change. */
  private java.util.List<Silence> boundariesOf = java.util.List.of();

  private long[] boundaries = new long[0];

  Optional<Why> of(AlertSnapshot a, String fp, long now) {
    PolicyOperators ops = w.operators();
    java.util.List<Silence> silences = ops.silences().all();
    PolicyRules rules = w.rules().get();
    long watched = ops.watched().version();
    String key = fp + "|" + a.severity();
    Known k = known.get(key);
    if (k != null
        && k.silences() == silences
        && k.watched() == watched
        && k.rules() == rules
        && now < k.validUntil()) {
      return k.why();
    }
    Optional<Why> why = decide(a, fp, now);
    known.put(key, new Known(silences, watched, rules, nextBoundary(silences, now), why));
    return why;
  }

  private long nextBoundary(java.util.List<Silence> silences, long now) {
    if (silences != boundariesOf) {
      boundariesOf = silences;
      boundaries =
          silences.stream()
              .flatMap(s -> java.util.stream.Stream.of(s.startsAt(), s.endsAt()))
              .mapToLong(Instant::toEpochMilli)
              .sorted()
              .toArray();
    }
    int i = java.util.Arrays.binarySearch(boundaries, now + 1);
    int at = i >= 0 ? i : -i - 1;
    return at < boundaries.length ? boundaries[at] : Long.MAX_VALUE;
  }

  private Optional<Why> decide(AlertSnapshot a, String fp, long now) {
    PolicyOperators ops = w.operators();
    AlertFields fields = fields(a);
    Optional<Silence> s = ops.silences().silencing(fields, Instant.ofEpochMilli(now));
    if (s.isPresent()) {
      return Optional.of(
          new Why(PolicyAudit.SILENCED, s.get().id(), s.get().endsAt().toEpochMilli()));
    }
    return ops.watched()
        .inhibitor(fields, fp, w.rules().get().inhibit())
        .map(source -> new Why(PolicyAudit.INHIBITED, source, 0));
  }

  /**
   * Whether the alert's state must be on the watched topic while it fires: an inhibition rule's
   * source, or covered by a silence that expires once its alerts resolve.
   */
  boolean watched(AlertSnapshot a, long now) {
    if (w.rules().get().inhibit().isEmpty() && expiringOnResolve().isEmpty()) {
      return false;
    }
    AlertFields fields = fields(a);
    for (var r : w.rules().get().inhibit()) {
      if (r.sourceMatches(fields)) {
        return true;
      }
    }
    Instant at = Instant.ofEpochMilli(now);
    for (Silence s : expiringOnResolve()) {
      if (s.activeAt(at) && s.matches(fields)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Asked for every firing reading, so it must not search all silences: the store hands out the
   * same list until a silence changes, and only the few that expire on resolve are kept from it.
   */
  private java.util.List<Silence> expiringOnResolve() {
    java.util.List<Silence> all = w.operators().silences().all();
    if (all != seenAll) {
      seenAll = all;
      expiringOnResolve = all.stream().filter(Silence::expireOnResolve).toList();
    }
    return expiringOnResolve;
  }

  static AlertFields fields(AlertSnapshot a) {
    return new SnapshotFields(a);
  }
}

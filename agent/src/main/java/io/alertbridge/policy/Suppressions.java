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

  Optional<Why> of(AlertSnapshot a, String fp, long now) {
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

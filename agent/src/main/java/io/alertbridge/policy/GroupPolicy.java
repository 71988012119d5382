package io.alertbridge.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A reading's effect on its group: the alert's entry and the group's head, nothing else of the
 * group, so its cost does not grow with the group (issue 16). What it decides to mail, {@link
 * GroupMails} sends when the group is due.
 */
final class GroupPolicy {
  /**
   * An event is kept and sent within this many bytes of JSON ({@link AlertSnapshot#bounded}): with
   * its ids an alert entry stays far below {@link TypedStore#MAX_VALUE_BYTES}.
   */
  static final int MAX_SNAPSHOT_BYTES = 16 * 1024;

  private final GroupStore groups;
  private final ClosedAlerts closed;
  private final PolicyAuditor auditor;
  private final GroupMails mails;
  private final Suppressions suppressions;
  private final PolicyObserver observer;

  GroupPolicy(
      GroupStore groups,
      ClosedAlerts closed,
      PolicyAuditor auditor,
      GroupMails mails,
      PolicyTopology.Wiring w) {
    this.groups = groups;
    this.closed = closed;
    this.auditor = auditor;
    this.mails = mails;
    this.suppressions = new Suppressions(w);
    this.observer = w.observer();
  }

  /** A fresh reading of an alert of {@code route}, group {@code key}. */
  void fresh(RoutePolicy route, String key, RoutedEvent e, long now) {
    AlertSnapshot ev = e.event();
    GroupHead g = groups.head(key);
    String fp = Fingerprints.of(ev);
    AlertEntry a = g == null ? null : groups.alert(key, fp);
    Instant at = Instant.ofEpochMilli(now);
    ClosedEntry gone = a == null ? closed.load(key, fp) : null;
    List<String> recent = a != null ? a.recent() : gone != null ? gone.recent() : List.of();
    long latest = a != null ? a.latest().time() : gone != null ? gone.time() : Long.MIN_VALUE;
    // Named by most audit lines, needed by few readings: a hash only when one is written.
    GroupHead head = g;
    java.util.function.Supplier<String> last = () -> groups.lastMessageId(head, route);
    if (recent.contains(ev.id())) {
      // A producer's retry or a replay: the same event again.
      audit(at, e, route, key, last.get(), PolicyAudit.DUPLICATE);
      return;
    }
    if (ev.time() < latest) {
      // Older than what is known of the alert: it would turn the alert's state back in time.
      audit(at, e, route, key, last.get(), PolicyAudit.SUPERSEDED);
      return;
    }
    if (!ev.firing() && (a == null || (a.notified() == null && !a.flapping()))) {
      // Nobody was told it fired (or it resolved twice): as in Alertmanager, an alert that fired
      // and resolved before any mail announced it is not news; there is nothing to resolve.
      AlertEntry ended = a != null ? a.read(ev, now) : AlertEntry.first(ev, recent, now);
      if (a == null && gone != null) {
        ended = ended.withFlaps(gone.flips(), 0);
      }
      // Its flips are kept with what is remembered of it: a sensor that flickers faster than
      // group-wait is still found chattering.
      ended =
          Flapping.read(
              a != null ? Boolean.valueOf(a.latest().firing()) : null, ended, route.flap(), now);
      if (a != null) {
        pendingEnds(at, a, route, key, last.get(), PolicyAudit.RESOLVED);
        g = groups.putAlert(g, fp, a, null);
        groups.saveOrDrop(g);
      }
      audit(at, e, route, key, last.get(), PolicyAudit.RESOLVED);
      closed.close(key, fp, ended, now);
      return;
    }
    if (g == null) {
      g = GroupHead.open(route, key, ev, now);
    }
    boolean pendingChanges = g.hasChanges();
    AlertEntry before = a;
    Boolean wasFiring = a != null ? Boolean.valueOf(a.latest().firing()) : null;
    if (a == null) {
      a = AlertEntry.first(ev, recent, now);
      if (gone != null) {
        // It resolved and left: it starts again, but with its flips, or chattering goes unseen.
        a = a.withFlaps(gone.flips(), 0);
        wasFiring = Boolean.FALSE;
        closed.delete(key, fp, gone);
      }
    } else {
      a = a.read(ev, now);
    }
    a = Flapping.read(wasFiring, a, route.flap(), now);
    if (a.flapping() && (before == null || !before.flapping())) {
      observer.alertFlapping(route.name());
    }
    if (!ev.firing() && !route.sendResolved() && !a.flapping()) {
      // Resolved, and this route does not mail resolutions: forget the alert.
      pendingEnds(at, a, route, key, last.get(), PolicyAudit.REPEAT);
      g = groups.putAlert(g, fp, before, null);
      closed.close(key, fp, a, now);
      audit(at, e, route, key, last.get(), PolicyAudit.RESOLVED);
      groups.saveOrDrop(g);
      return;
    }
    boolean muted = route.mutedAt(at);
    Optional<Suppressions.Why> why = muted ? Optional.empty() : suppressions.of(ev, fp, now);
    if (a.changed() || pendingChanges) {
      if (muted) {
        audit(at, e, route, key, null, PolicyAudit.MUTED);
      } else if (why.isPresent()) {
        // Its state is kept (so its resolution is known), its event goes unmailed; the group's
        // mail looks again when the silence ends or the inhibiting alert resolves.
        auditWhy(at, e, route, key, why.get());
      } else if (a.flapping() && !a.changed()) {
        // Told it flaps: another alert's news does not make its readings news.
        audit(at, e, route, key, last.get(), PolicyAudit.FLAPPING);
      } else {
        if (a.pending() != null) {
          String next =
              route.recipients(at).isEmpty()
                  ? null
                  : groups.messageId(g, g.seq() + 1, route.recipients(at).get(0));
          pendingEnds(at, a, route, key, next, PolicyAudit.GROUPED);
        }
        a = a.withPending(Pending.of(e));
      }
      g = groups.putAlert(g, fp, before, a);
      g = mails.scheduleChange(g, route);
    } else if (why.isPresent()) {
      // Every event of a silenced or inhibited alert says so, not only its news.
      auditWhy(at, e, route, key, why.get());
      g = groups.putAlert(g, fp, before, a);
    } else if (a.flapping()) {
      // Told it flaps: nothing more about it until it has been stable for flap-detection.quiet.
      audit(at, e, route, key, last.get(), PolicyAudit.FLAPPING);
      g = groups.putAlert(g, fp, before, a);
      g = mails.lookBy(g, Flapping.quietAt(a, route.flap()));
    } else {
      audit(at, e, route, key, last.get(), PolicyAudit.REPEAT);
      g = groups.putAlert(g, fp, before, a);
    }
    if (ev.firing()) {
      g = groups.armExpiry(g, route, now);
    }
    if (g.due() != 0 && g.due() <= now) {
      mails.flush(g, now);
    } else {
      groups.save(g);
    }
  }

  /**
   * A stale reading still tells what state its alert is in, and the backlog summary told the
   * recipients: so a fresh reading of an alert the summary listed as firing is a repeat, not news.
   */
  Optional<Suppressions.Why> learn(RoutePolicy route, String key, AlertSnapshot ev, long now) {
    GroupHead g = groups.head(key);
    String fp = Fingerprints.of(ev);
    Optional<Suppressions.Why> why = ev.firing() ? suppressions.of(ev, fp, now) : Optional.empty();
    if (why.isPresent()) {
      hold(route, key, g, fp, ev, now);
      return why;
    }
    if (g == null) {
      if (!ev.firing()) {
        return Optional.empty();
      }
      g = GroupHead.open(route, key, ev, now);
    }
    AlertEntry a = groups.alert(key, fp);
    if (a != null && (a.latest().time() > ev.time() || a.pending() != null)) {
      return Optional.empty();
    }
    ClosedEntry gone = a == null ? closed.load(key, fp) : null;
    if (gone != null && gone.time() >= ev.time()) {
      // A replay of an alert that resolved since: it must not reopen it as told firing.
      return Optional.empty();
    }
    if (!ev.firing()) {
      if (a != null) {
        groups.saveOrDrop(groups.putAlert(g, fp, a, null));
      }
      return Optional.empty();
    }
    AlertEntry told =
        a == null
            ? AlertEntry.first(ev, List.of(), now).toldBySummary(ev, now)
            : a.toldBySummary(ev, now);
    g = groups.putAlert(g, fp, a, told);
    g = groups.armExpiry(g, route, now);
    if (g.lastSent() == 0) {
      g = g.withLastSent(now);
    }
    if (g.due() == 0) {
      g = groups.setDue(g, now + route.repeatInterval().toMillis());
    }
    groups.save(g);
    return Optional.empty();
  }

  /**
   * A stale reading of an alert a silence or an inhibition holds back: the summary will not list
   * it, so it is kept as news (not told), and mailed when the hold ends if it still fires.
   */
  private void hold(
      RoutePolicy route, String key, GroupHead g, String fp, AlertSnapshot ev, long now) {
    AlertEntry a = g == null ? null : groups.alert(key, fp);
    if (a != null && a.latest().time() > ev.time()) {
      return;
    }
    ClosedEntry gone = a == null ? closed.load(key, fp) : null;
    if (gone != null && gone.time() >= ev.time()) {
      // A replay of an alert that resolved since: nothing to hold.
      return;
    }
    if (g == null) {
      g = GroupHead.open(route, key, ev, now);
    }
    AlertEntry next = a == null ? AlertEntry.first(ev, List.of(), now) : a.read(ev, now);
    g = groups.putAlert(g, fp, a, next);
    g = mails.scheduleChange(g, route);
    g = groups.armExpiry(g, route, now);
    groups.save(g);
  }

  private void pendingEnds(
      Instant at, AlertEntry a, RoutePolicy route, String key, String messageId, String reason) {
    if (a.pending() != null) {
      auditor.append(PolicyAudit.suppressed(at, a.pending(), route.name(), key, messageId, reason));
    }
  }

  private void auditWhy(
      Instant at, RoutedEvent e, RoutePolicy route, String key, Suppressions.Why why) {
    auditor.append(
        PolicyAudit.suppressed(at, e, route.name(), key, null, why.reason())
            .withCause(why.cause()));
  }

  private void audit(
      Instant at, RoutedEvent e, RoutePolicy route, String key, String messageId, String reason) {
    auditor.append(PolicyAudit.suppressed(at, e, route.name(), key, messageId, reason));
  }
}

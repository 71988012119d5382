package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A group's mails: when the next is due (group-wait, group-interval, repeat-interval) and, when it
 * is, the mail itself, one per recipient, handed to the mail step where the storm guard decides.
 * Building one reads the group's alerts (a store scan), which happens once per mail, never per
 * reading; it lists the worst {@link #MAX_LISTED} and counts the rest.
 */
final class GroupMails {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GroupMails.class);

  /**
   * A mail lists at most this many alerts (the rest are counted), so one notification record stays
   * far below Kafka's limit however large a group grows.
   */
  static final int MAX_LISTED = 500;

  /** News first (changed alerts), then the most severe, then the oldest. */
  private static final Comparator<Candidate> WORST_FIRST =
      Comparator.comparing((Candidate c) -> !c.entry().changed())
          .thenComparingInt(c -> c.entry().latest().severityRank())
          .thenComparingLong(c -> c.entry().firstSeen())
          .thenComparing(Candidate::fingerprint);

  private record Candidate(String fingerprint, AlertEntry entry, String shown) {}

  private final PolicyTopology.Wiring w;
  private final GroupStore groups;
  private final ClosedAlerts closed;
  private final PolicyAuditor auditor;
  private final BiConsumer<String, MailRequest> toMailStep;
  private final Suppressions suppressions;
  private final java.util.function.IntSupplier partition;

  GroupMails(
      PolicyTopology.Wiring w,
      GroupStore groups,
      ClosedAlerts closed,
      PolicyAuditor auditor,
      BiConsumer<String, MailRequest> toMailStep,
      java.util.function.IntSupplier partition) {
    this.partition = partition;
    this.w = w;
    this.groups = groups;
    this.closed = closed;
    this.auditor = auditor;
    this.toMailStep = toMailStep;
    this.suppressions = new Suppressions(w);
  }

  /** The group is looked at no later than {@code at} (0: no need), and never in the past. */
  GroupHead lookBy(GroupHead g, long at) {
    if (at == 0 || (g.due() != 0 && g.due() <= at)) {
      return g;
    }
    return groups.setDue(g, at);
  }

  /** A change waits for group-wait before the first mail, then group-interval after the last. */
  GroupHead scheduleChange(GroupHead g, RoutePolicy route) {
    long changeDue =
        g.seq() == 0
            ? g.incident() + route.groupWait().toMillis()
            : g.lastSent() + route.groupInterval().toMillis();
    if (g.due() == 0 || changeDue < g.due()) {
      return groups.setDue(g, changeDue);
    }
    return g;
  }

  private GroupHead scheduleRepeat(GroupHead g, RoutePolicy route, long now) {
    if (g.hasChanges()) {
      return g;
    }
    if (g.hasFiring() && g.lastSent() > 0) {
      long repeatAt = g.lastSent() + route.repeatInterval().toMillis();
      Followup f = g.followup();
      if (f != null && f.acknowledgedAt(now)) {
        // Reminders resume when the acknowledgement lapses, not before.
        repeatAt = f.ack().until() == 0 ? 0 : Math.max(repeatAt, f.ack().until());
      }
      return lookBy(groups.setDue(g, repeatAt), FollowupSteps.nextLook(g, route, now));
    }
    return groups.setDue(g, 0);
  }

  /** The group is due: mails what changed, or the repeat, or re-arms. Saves the group. */
  void flush(GroupHead g, long now) {
    RoutePolicy route = w.routes().get(g.route());
    Instant at = Instant.ofEpochMilli(now);
    if (route == null) {
      // A group of a route this configuration lacks is closed when the task starts.
      groups.save(groups.setDue(g, 0));
      return;
    }
    if (route.mutedAt(at)) {
      groups.save(groups.setDue(g, MuteWindow.unmutedFrom(route.mute(), at).toEpochMilli()));
      return;
    }
    final String key = g.key();
    // Pass 1: what the mail lists, worst first, and the group's true counts; resolved alerts of a
    // route that does not mail resolutions leave here.
    String last = groups.lastMessageId(g, route);
    PriorityQueue<Candidate> worst = new PriorityQueue<>(WORST_FIRST.reversed());
    GroupHead[] head = {g};
    int[] counts = new int[5]; // alerts, changed, firing; changed and firing that may be mailed
    long[] look = {Long.MAX_VALUE};
    Set<String> held = new HashSet<>();
    groups.forEachAlert(
        g,
        (fp, stored) -> {
          AlertEntry a = Flapping.settle(stored, route.flap(), now);
          if (a != stored) {
            head[0] = groups.putAlert(head[0], fp, stored, a);
          }
          look[0] = Math.min(look[0], quietOrNever(a, route));
          String state = a.state();
          if ("resolved".equals(state) && !route.sendResolved()) {
            pendingAudit(at, a, route, key, last, PolicyAudit.RESOLVED);
            head[0] = groups.putAlert(head[0], fp, a, null);
            closed.close(key, fp, a, now);
            return;
          }
          counts[0]++;
          counts[1] += a.changed() ? 1 : 0;
          counts[2] += a.firing() ? 1 : 0;
          Optional<Suppressions.Why> why =
              a.changed() || a.firing() ? suppressions.of(a.latest(), fp, now) : Optional.empty();
          if (why.isPresent()) {
            // Kept out of this mail, and told nothing: mailed once its silence or inhibition ends.
            held.add(fp);
            look[0] = Math.min(look[0], lookAgain(why.get(), route, now));
            if (a.pending() != null) {
              auditor.append(
                  PolicyAudit.suppressed(
                          at, a.pending(), route.name(), key, null, why.get().reason())
                      .withCause(why.get().cause()));
              head[0] = groups.putAlert(head[0], fp, a, a.withPending(null));
            }
            return;
          }
          counts[3] += a.changed() ? 1 : 0;
          counts[4] += a.firing() ? 1 : 0;
          if ("firing".equals(state)) {
            state = "firing".equals(a.notified()) ? "firing" : "new";
          }
          worst.add(new Candidate(fp, a, state));
          if (worst.size() > MAX_LISTED) {
            worst.poll();
          }
        });
    g = recount(head[0], counts);
    boolean changes = counts[3] > 0;
    // An acknowledged incident gets no reminders: someone owns it (issue 18).
    boolean acknowledged = g.followup() != null && g.followup().acknowledgedAt(now);
    boolean repeat =
        !changes
            && !acknowledged
            && counts[4] > 0
            && g.lastSent() > 0
            && now >= g.lastSent() + route.repeatInterval().toMillis();
    List<FollowupSteps.Extra> extras = counts[4] > 0 ? FollowupSteps.due(g, route, now) : List.of();
    if (counts[0] == 0 || (!changes && !repeat && extras.isEmpty())) {
      groups.saveOrDrop(lookBy(settle(g, route, now), never(look[0])));
      return;
    }
    int[] total = {counts[0] - held.size()};
    List<Candidate> ranked = new ArrayList<>(worst);
    ranked.sort(WORST_FIRST);
    NotificationBudget budget = new NotificationBudget();
    List<Candidate> listed = new ArrayList<>();
    for (Candidate c : ranked) {
      Notification.Alert shown = shown(c);
      if (budget.admits(shown, c.entry().pending())) {
        listed.add(c);
      }
    }
    // Shown in the order the alerts began.
    listed.sort(
        Comparator.comparingLong((Candidate c) -> c.entry().firstSeen())
            .thenComparing(Candidate::fingerprint));
    List<Notification.Alert> alerts = listed.stream().map(GroupMails::shown).toList();
    List<Pending> carried = new ArrayList<>();
    Set<String> listedFps = new HashSet<>();
    for (Candidate c : listed) {
      listedFps.add(c.fingerprint());
      if (c.entry().pending() != null) {
        carried.add(c.entry().pending());
      }
    }
    // The events of unlisted alerts ride along as far as the bound allows; the mail is their
    // record, so a folded mail's digest names them all. The rest are audited below.
    List<Pending> unlisted = new ArrayList<>();
    groups.forEachAlert(
        g,
        (fp, a) -> {
          if (a.pending() != null
              && !listedFps.contains(fp)
              && !held.contains(fp)
              && !budget.full()
              && budget.admits(a.pending())) {
            unlisted.add(a.pending());
          }
        });
    Set<String> riding = new HashSet<>();
    unlisted.forEach(p -> riding.add(p.eventId()));
    long seq = g.seq() + 1;
    // Whoever is on watch now; the next mail of the group may go to the next watch.
    List<String> crew = route.recipients(Instant.ofEpochMilli(now));
    List<String> routeTold = changes || repeat ? crew : List.of();
    List<FollowupSteps.Extra> audience = new ArrayList<>();
    routeTold.forEach(to -> audience.add(new FollowupSteps.Extra(to, null, 0)));
    Set<String> addressed = new HashSet<>(routeTold);
    extras.stream().filter(x -> addressed.add(x.to())).forEach(audience::add);
    for (FollowupSteps.Extra x : audience) {
      String to = x.to();
      String messageId = groups.messageId(g, seq, to);
      String inReplyTo =
          g.threadRoot() != null ? g.threadRoot() : seq == 1 ? null : groups.messageId(g, 1, to);
      toMailStep.accept(
          MailRequest.recipientKey(to),
          new Notification.GroupMail(
              route.name(),
              route.template(),
              to,
              key,
              g.labels(),
              messageId,
              inReplyTo,
              alerts,
              carried,
              unlisted,
              now,
              total[0],
              g.incident(),
              partition.getAsInt(),
              x.note()));
    }
    extras.stream()
        .mapToInt(FollowupSteps.Extra::step)
        .filter(step -> step > 0)
        .distinct()
        .forEach(step -> w.observer().escalated(route.name(), step));
    // Pass 2: every alert is now told; what ended leaves; the unlisted events name this mail.
    String mailId = groups.messageId(g, seq, crew.get(0));
    head[0] = g;
    groups.forEachAlert(
        g,
        (fp, a) -> {
          if (held.contains(fp)) {
            return;
          }
          if (!listedFps.contains(fp)
              && a.pending() != null
              && !riding.contains(a.pending().eventId())) {
            pendingAudit(at, a, route, key, mailId, PolicyAudit.GROUPED);
          }
          AlertEntry told = a.told();
          if (!told.firing() && !told.flapping()) {
            head[0] = groups.putAlert(head[0], fp, a, null);
            closed.close(key, fp, told, now);
          } else if (a.changed() || a.pending() != null) {
            head[0] = groups.putAlert(head[0], fp, a, told);
          }
        });
    GroupHead next = routeTold.isEmpty() ? head[0].sentAside() : head[0].sent(now);
    g = next.withFollowup(FollowupSteps.after(g.followup(), routeTold, extras, now));
    groups.saveOrDrop(lookBy(settle(g, route, now), never(look[0])));
  }

  /** When a held alert is to be looked at again: its silence's end, else the next interval. */
  private static long lookAgain(Suppressions.Why why, RoutePolicy route, long now) {
    long next = now + route.groupInterval().toMillis();
    return why.until() > now ? Math.min(why.until(), next) : next;
  }

  private static long quietOrNever(AlertEntry a, RoutePolicy route) {
    long q = Flapping.quietAt(a, route.flap());
    return q == 0 ? Long.MAX_VALUE : q;
  }

  private static long never(long at) {
    return at == Long.MAX_VALUE ? 0 : at;
  }

  /**
   * The head with the counts a scan found. They differ only after a fault (a value dropped unread,
   * an exception half-way through a step): a count left too high would make the group look due for
   * ever.
   */
  private GroupHead recount(GroupHead g, int[] counts) {
    if (g.size() != counts[0] || g.changed() != counts[1] || g.firing() != counts[2]) {
      log.warn(
          "group {}: counts corrected from {}/{}/{} to {}/{}/{} (alerts/changed/firing)",
          g.key(),
          g.size(),
          g.changed(),
          g.firing(),
          counts[0],
          counts[1],
          counts[2]);
      return g.recounted(counts[0], counts[1], counts[2]);
    }
    return g;
  }

  /**
   * The next look at the group: its repeat, or nothing; never in the past, which would look at it
   * again on every tick (a mail per tick, were its counts wrong).
   */
  private GroupHead settle(GroupHead g, RoutePolicy route, long now) {
    g = scheduleRepeat(g, route, now);
    if (g.due() != 0 && g.due() <= now) {
      g = groups.setDue(g, now + route.groupInterval().toMillis());
    }
    return g;
  }

  private static Notification.Alert shown(Candidate c) {
    AlertEntry a = c.entry();
    return new Notification.Alert(
        c.fingerprint(),
        c.shown(),
        a.latest(),
        a.firstSeen(),
        null,
        null,
        a.flapping() ? Flapping.changes(a) : 0);
  }

  private void pendingAudit(
      Instant at, AlertEntry a, RoutePolicy route, String key, String messageId, String reason) {
    if (a.pending() != null) {
      auditor.append(PolicyAudit.suppressed(at, a.pending(), route.name(), key, messageId, reason));
    }
  }
}

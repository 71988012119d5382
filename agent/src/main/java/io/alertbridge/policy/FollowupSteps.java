package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a group's follow-ups add to its mail when it is due (issue 18): the next escalation step
 * while nobody acknowledged a firing incident, and the {@code on-bounce} fallback once every
 * recipient of the route bounced; and when the group must be looked at for them next.
 */
final class FollowupSteps {
  private FollowupSteps() {}

  /** Recipients beyond the route's, each with why they get this mail. */
  record Extra(String to, Notification.FollowupNote note, int step) {}

  /**
   * The extra recipients due at {@code now}, escalation first. An acknowledged incident, or one
   * with nothing firing, escalates no further.
   */
  static List<Extra> due(GroupHead g, RoutePolicy route, long now) {
    Followup f = g.followup();
    List<Extra> out = new ArrayList<>();
    if (f == null || f.firstSent() == 0 || !g.hasFiring()) {
      return out;
    }
    Followups p = route.followups();
    int steps = p.escalate().size();
    if (!f.acknowledgedAt(now) && f.escalated() < steps) {
      int i = f.escalated();
      Followups.Step s = p.escalate().get(i);
      if (now >= f.firstSent() + s.after().toMillis()) {
        Notification.FollowupNote note =
            new Notification.FollowupNote(
                Notification.FollowupNote.ESCALATED,
                i + 1,
                steps,
                s.after().toMillis(),
                f.told().stream()
                    .map(t -> new Notification.FollowupNote.Told(t.to(), t.at()))
                    .toList(),
                List.of());
        for (String to : p.stepRecipients(i, now)) {
          // Who was told already and did not answer needs no second copy of the same news.
          if (!f.wasTold(to)) {
            out.add(new Extra(to, note, i + 1));
          }
        }
      }
    }
    if (fallbackDue(f, route)) {
      Notification.FollowupNote note =
          new Notification.FollowupNote(
              Notification.FollowupNote.UNREACHABLE,
              0,
              0,
              0,
              f.told().stream()
                  .map(t -> new Notification.FollowupNote.Told(t.to(), t.at()))
                  .toList(),
              f.bounced());
      for (String to : p.fallbackRecipients(now)) {
        out.add(new Extra(to, note, -1));
      }
    }
    return dedup(out);
  }

  /**
   * Whether the route's fallback is owed: every recipient the route itself told (step 0) bounced,
   * and it was not sent yet.
   */
  static boolean fallbackDue(Followup f, RoutePolicy route) {
    if (f == null || f.fallbackSent() || route.followups().onBounce().isEmpty()) {
      return false;
    }
    List<Followup.Told> first = f.told().stream().filter(t -> t.step() == 0).toList();
    return !first.isEmpty() && first.stream().allMatch(t -> f.bounced().contains(t.to()));
  }

  /**
   * The follow-up after a mail to the route's recipients ({@code routeTold}) and {@code extras}.
   */
  static Followup after(Followup f, List<String> routeTold, List<Extra> extras, long now) {
    Followup next = f == null ? Followup.first(now) : f;
    for (String to : routeTold) {
      next = next.tell(to, now, 0);
    }
    int escalated = next.escalated();
    boolean fallback = false;
    for (Extra x : extras) {
      next = next.tell(x.to(), now, x.step());
      if (x.step() > 0) {
        escalated = Math.max(escalated, x.step());
      } else {
        fallback = true;
      }
    }
    next = next.escalatedTo(escalated);
    return fallback ? next.fallbackDone() : next;
  }

  /**
   * When the group must be looked at for its follow-ups: the next escalation step, or the end of an
   * acknowledgement with a lifetime; 0 for never.
   */
  static long nextLook(GroupHead g, RoutePolicy route, long now) {
    Followup f = g.followup();
    if (f == null || f.firstSent() == 0 || !g.hasFiring()) {
      return 0;
    }
    if (f.acknowledgedAt(now)) {
      return f.ack().until();
    }
    Followups p = route.followups();
    if (f.escalated() < p.escalate().size()) {
      return Math.max(now, f.firstSent() + p.escalate().get(f.escalated()).after().toMillis());
    }
    return 0;
  }

  /** One mail per address: escalation wins over the fallback for someone in both. */
  private static List<Extra> dedup(List<Extra> in) {
    Map<String, Extra> byTo = new LinkedHashMap<>();
    for (Extra x : in) {
      byTo.putIfAbsent(x.to(), x);
    }
    return new ArrayList<>(byTo.values());
  }
}

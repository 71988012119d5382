package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import io.alertbridge.config.Rate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code policy.max-mails-per-recipient}, in the mail step keyed by recipient, so its counts are
 * exact however the groups spread over instances (issue 16): a recipient under the limit in its
 * window gets the mail (and it counts); otherwise the mail is folded into the digest that ends the
 * window. Recipients are counted by address case-insensitively, as mail servers deliver them.
 *
 * <p>A fold writes the recipient's small {@link RecipientWindow} and one {@link Folded} entry per
 * alert and per group; the digest is built from them when it is due, worst first.
 */
final class StormGuard {
  static final String KIND = "r";

  /**
   * A digest keeps at most this many folded alerts (and lists as many as fit); more are counted.
   */
  static final int MAX_KEPT_ALERTS = 500;

  /** A digest keeps the totals of this many groups; the mails of more are counted as they come. */
  static final int MAX_KEPT_GROUPS = 10_000;

  /** Resolved last, then the most severe, then the newest. */
  static final Comparator<Notification.Alert> WORST_FIRST =
      Comparator.comparing((Notification.Alert a) -> "resolved".equals(a.state()))
          .thenComparingInt(a -> a.event().severityRank())
          .thenComparing(a -> -a.event().time());

  private final PolicyTopology.Wiring w;
  private final PolicyAuditor auditor;
  private final TypedStore<RecipientWindow> windows;
  private final TypedStore<Folded> folded;
  private final TimerIndex timers;
  private final Consumer<Notification> emit;

  StormGuard(
      PolicyTopology.Wiring w,
      PolicyAuditor auditor,
      KeyValueStore<String, byte[]> windows,
      KeyValueStore<String, byte[]> folded,
      TimerIndex timers,
      Consumer<Notification> emit) {
    this.w = w;
    this.auditor = auditor;
    this.windows = new TypedStore<>(windows, RecipientWindow.class, w.observer());
    this.folded = new TypedStore<>(folded, Folded.class, w.observer());
    this.timers = timers;
    this.emit = emit;
  }

  void rebuild() {
    windows.forEach((key, r) -> timers.reschedule(KIND, key, 0, r.due()));
  }

  static String key(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  private static String alertPrefix(String address) {
    return key(address) + "\u0001a\u0001";
  }

  private static String groupPrefix(String address) {
    return key(address) + "\u0001g\u0001";
  }

  /** Sends {@code m}, or folds it into its recipient's digest when the window's mails are used. */
  void handle(Notification.GroupMail m, long now) {
    Rate limit = w.maxMailsPerRecipient();
    if (limit == null) {
      emit.accept(m);
      return;
    }
    RecipientWindow s = load(m.to());
    if (!s.folding() && now >= s.windowStart() + limit.window().toMillis()) {
      s = s.withWindow(now, 0);
    }
    if (s.mails() < limit.permits()) {
      windows.put(key(m.to()), s.withWindow(s.windowStart(), s.mails() + 1));
      emit.accept(m);
      return;
    }
    s = fold(s, m);
    if (s.due() == 0) {
      s = setDue(s, s.windowStart() + limit.window().toMillis());
    }
    windows.put(key(m.to()), s);
    Instant at = Instant.ofEpochMilli(now);
    String digest = digestId(s);
    for (Pending p :
        java.util.stream.Stream.concat(m.carried().stream(), m.unlisted().stream()).toList()) {
      auditor.append(
          PolicyAudit.suppressed(at, p, m.route(), m.group(), digest, PolicyAudit.GROUPED));
    }
  }

  private RecipientWindow fold(RecipientWindow s, Notification.GroupMail m) {
    String groupKey = groupPrefix(m.to()) + m.group();
    Folded group = folded.get(groupKey);
    if (group != null || s.groups() < MAX_KEPT_GROUPS) {
      long before = group == null ? 0 : group.total();
      folded.put(groupKey, new Folded(Folded.VERSION, null, m.total()));
      s =
          s.withGroups(
              s.groups() + (group == null ? 1 : 0),
              s.alerts() + m.total() - before,
              s.overflowGroups(),
              s.overflowAlerts());
    } else {
      w.observer().didNotFit("groups");
      s =
          s.withGroups(
              s.groups(), s.alerts(), s.overflowGroups() + 1, s.overflowAlerts() + m.total());
    }
    for (Notification.Alert a : m.alerts()) {
      s = keep(s, m, a);
    }
    return s;
  }

  /** Keeps one alert of a folded mail, evicting a less severe one when the digest is full. */
  private RecipientWindow keep(RecipientWindow s, Notification.GroupMail m, Notification.Alert a) {
    Notification.Alert entry =
        new Notification.Alert(
            a.fingerprint(), a.state(), a.event(), a.firstSeen(), m.route(), m.groupLabels());
    String k = alertPrefix(m.to()) + m.group() + "|" + a.fingerprint();
    int rank = a.event().severityRank();
    Folded old = folded.get(k);
    if (old != null) {
      s = s.withKept(old.alert().event().severityRank(), -1);
    } else if (s.keptTotal() >= MAX_KEPT_ALERTS) {
      int worst = s.kept()[2] > 0 ? 2 : s.kept()[1] > 0 ? 1 : 0;
      if (worst <= rank) {
        w.observer().didNotFit("digest");
        return s;
      }
      String evicted = findRank(m.to(), worst);
      if (evicted == null) {
        w.observer().didNotFit("digest");
        return s;
      }
      folded.delete(evicted);
      w.observer().didNotFit("digest");
      s = s.withKept(worst, -1);
    }
    folded.put(k, new Folded(Folded.VERSION, entry, 0));
    return s.withKept(rank, 1);
  }

  private String findRank(String address, int rank) {
    String[] found = {null};
    folded.forEachWithPrefix(
        alertPrefix(address),
        (k, f) -> {
          if (found[0] == null && f.alert() != null && f.alert().event().severityRank() == rank) {
            found[0] = k;
          }
        });
    return found[0];
  }

  /** Sends a digest whose window ended, unless the timer is stale or every route is muted. */
  void due(TimerIndex.Timer t, long now) {
    RecipientWindow s = windows.get(t.key());
    if (s == null || s.due() != t.at()) {
      timers.remove(t);
      return;
    }
    List<Notification.Alert> alerts = new ArrayList<>();
    folded.forEachWithPrefix(alertPrefix(s.address()), (k, f) -> alerts.add(f.alert()));
    Instant at = Instant.ofEpochMilli(now);
    Instant unmuted = unmutedFrom(alerts, at);
    if (unmuted.isAfter(at)) {
      windows.put(t.key(), setDue(s, unmuted.toEpochMilli()));
      return;
    }
    alerts.sort(WORST_FIRST);
    List<Notification.Alert> listed =
        NotificationBudget.fit(alerts, NotificationPlanner.DIGEST_LISTED);
    emit.accept(
        new Notification.Digest(
            s.address(),
            digestId(s),
            listed,
            now,
            s.windowStart(),
            s.totalAlerts(),
            s.totalGroups()));
    List<String> keys = new ArrayList<>();
    folded.forEachWithPrefix(key(s.address()) + "\u0001", (k, f) -> keys.add(k));
    keys.forEach(folded::delete);
    // The digest closes the window; the next one starts with the next mail.
    windows.put(t.key(), setDue(s, 0).cleared(now));
  }

  /**
   * A digest spans routes: it waits while every route folded into it is muted, until the first of
   * them unmutes (the others' alerts then ride along: holding them longer would hide the storm).
   */
  private Instant unmutedFrom(List<Notification.Alert> alerts, Instant at) {
    Instant first = null;
    for (Notification.Alert a : alerts) {
      RoutePolicy route = a.route() == null ? null : w.routes().get(a.route());
      if (route == null || !route.mutedAt(at)) {
        return at;
      }
      Instant end = MuteWindow.unmutedFrom(route.mute(), at);
      first = first == null || end.isBefore(first) ? end : first;
    }
    return first == null ? at : first;
  }

  private RecipientWindow load(String address) {
    RecipientWindow s = windows.get(key(address));
    return s != null ? s : RecipientWindow.empty(address);
  }

  private RecipientWindow setDue(RecipientWindow s, long at) {
    return s.withDue(timers.reschedule(KIND, key(s.address()), s.due(), at));
  }

  private String digestId(RecipientWindow s) {
    return w.messageId("digest", s.address(), Long.toString(s.windowStart()));
  }
}

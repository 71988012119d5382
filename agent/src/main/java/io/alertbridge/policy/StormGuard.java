package io.alertbridge.policy;

import io.alertbridge.config.MuteWindow;
import io.alertbridge.config.Rate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * {@code policy.max-mails-per-recipient}: the recipients still under the limit in their window get
 * a mail (and it counts); for the others it is folded into the digest that ends their window.
 * Recipients are counted by address case-insensitively, as mail servers deliver them: {@code Ops@x}
 * and {@code ops@x} share one window and one digest.
 */
final class StormGuard {
  static final String KIND = "r";

  private final PolicyTopology.Wiring w;
  private final KeyValueStore<String, byte[]> store;
  private final TimerIndex timers;
  private final Consumer<Notification> emit;

  StormGuard(
      PolicyTopology.Wiring w,
      KeyValueStore<String, byte[]> store,
      TimerIndex timers,
      Consumer<Notification> emit) {
    this.w = w;
    this.store = store;
    this.timers = timers;
    this.emit = emit;
  }

  void rebuild() {
    TimerIndex.restore(
        store,
        (key, value) -> {
          RecipientState r = PolicyJson.readState(value, RecipientState.class);
          // Keyed by the store's key: a version before case-insensitive keys used the address.
          timers.reschedule(KIND, key, 0, r.due);
        });
  }

  /**
   * The recipients of {@code route} that get this group mail now; the group's alerts are folded
   * into the others' digests, {@code unlisted} more than {@code alerts} counted.
   */
  List<String> admit(
      RoutePolicy route, GroupState g, List<Notification.Alert> alerts, int unlisted, long now) {
    Rate limit = w.maxMailsPerRecipient();
    if (limit == null) {
      return route.recipients();
    }
    List<String> allowed = new ArrayList<>();
    for (String address : route.recipients()) {
      RecipientState s = load(address);
      if (s.folded.isEmpty() && now >= s.windowStart + limit.window().toMillis()) {
        s.windowStart = now;
        s.mails = 0;
      }
      if (s.mails < limit.permits()) {
        s.mails++;
        allowed.add(address);
      } else {
        RecipientState.DigestEntry entry =
            s.folded.computeIfAbsent(g.key, k -> new RecipientState.DigestEntry());
        entry.route = route.name();
        entry.labels = g.labels;
        entry.unlisted = unlisted;
        for (Notification.Alert a : alerts) {
          entry.alerts.put(
              a.fingerprint(),
              new Notification.Alert(
                  a.fingerprint(), a.state(), a.event(), a.firstSeen(), route.name(), g.labels));
        }
        if (s.due == 0) {
          setDue(s, s.windowStart + limit.window().toMillis());
        }
      }
      save(s);
    }
    return allowed;
  }

  /** The Message-ID of the digest that closes {@code address}'s current window. */
  String digestId(String address) {
    return digestId(load(address));
  }

  /** Sends a digest whose window ended, unless the timer is stale or every route is muted. */
  void due(TimerIndex.Timer t, long now) {
    RecipientState s = load(t.key());
    if (s.due != t.at()) {
      timers.remove(t);
      return;
    }
    Instant at = Instant.ofEpochMilli(now);
    Instant unmuted = unmutedFrom(s, at);
    if (unmuted.isAfter(at)) {
      setDue(s, unmuted.toEpochMilli());
      save(s);
      return;
    }
    send(s, now);
  }

  /**
   * A digest spans routes: it waits while every route folded into it is muted, until the first of
   * them unmutes (the others' alerts then ride along: holding them longer would hide the storm).
   */
  private Instant unmutedFrom(RecipientState s, Instant at) {
    Instant first = null;
    for (RecipientState.DigestEntry e : s.folded.values()) {
      RoutePolicy route = e.route == null ? null : w.routes().get(e.route);
      if (route == null || !route.mutedAt(at)) {
        return at;
      }
      Instant end = MuteWindow.unmutedFrom(route.mute(), at);
      first = first == null || end.isBefore(first) ? end : first;
    }
    return first == null ? at : first;
  }

  private void send(RecipientState s, long now) {
    List<Notification.Alert> alerts = new ArrayList<>();
    long unlisted = 0;
    for (RecipientState.DigestEntry e : s.folded.values()) {
      alerts.addAll(e.alerts.values());
      unlisted += e.unlisted;
    }
    alerts.sort(
        Comparator.comparing((Notification.Alert a) -> "resolved".equals(a.state()))
            .thenComparingInt(a -> a.event().severityRank())
            .thenComparing(a -> -a.event().time()));
    // Worst first, as many as the record can carry; the total counts every folded alert.
    List<Notification.Alert> listed =
        NotificationBudget.fit(alerts, NotificationPlanner.DIGEST_LISTED);
    emit.accept(
        new Notification(
            Notification.DIGEST,
            Notification.DIGEST,
            null,
            List.of(s.address),
            "digest:" + s.address,
            Map.of(),
            digestId(s),
            null,
            listed,
            List.of(),
            now,
            s.windowStart,
            now,
            alerts.size() + unlisted,
            s.folded.size()));
    s.folded.clear();
    setDue(s, 0);
    // The digest closes the window; the next one starts with the next mail.
    s.windowStart = now;
    s.mails = 0;
    save(s);
  }

  static String key(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  private RecipientState load(String address) {
    byte[] v = store.get(key(address));
    String legacy = null;
    if (v == null && !key(address).equals(address)) {
      v = store.get(address);
      legacy = address;
    }
    RecipientState s;
    if (v != null) {
      s = PolicyJson.readState(v, RecipientState.class);
      s.legacyKey = legacy;
    } else {
      s = new RecipientState();
      s.address = address;
    }
    return s;
  }

  private void save(RecipientState s) {
    if (s.legacyKey != null && !Objects.equals(s.legacyKey, key(s.address))) {
      store.delete(s.legacyKey);
      timers.reschedule(KIND, s.legacyKey, s.due, 0);
      timers.reschedule(KIND, key(s.address), 0, s.due);
      s.legacyKey = null;
    }
    store.put(key(s.address), PolicyJson.write(s));
  }

  private void setDue(RecipientState s, long at) {
    s.due = timers.reschedule(KIND, s.legacyKey != null ? s.legacyKey : key(s.address), s.due, at);
  }

  private String digestId(RecipientState s) {
    return w.messageId("digest", s.address, Long.toString(s.windowStart));
  }
}

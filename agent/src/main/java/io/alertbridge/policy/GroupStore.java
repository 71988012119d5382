package io.alertbridge.policy;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The groups: a {@link GroupHead} per group and an {@link AlertEntry} per alert (key: group key,
 * '|', fingerprint). A head's {@code due} (its next mail) and {@code expires} (its first alert that
 * may time out) are mirrored in the {@link TimerIndex}, so the index is rebuilt from the heads, not
 * the alerts, when a task starts.
 */
final class GroupStore {
  static final String DUE = "g";
  static final String EXPIRY = "x";

  private final PolicyTopology.Wiring w;
  private final TypedStore<GroupHead> heads;
  private final TypedStore<AlertEntry> alerts;
  private final TimerIndex timers;
  private final Suppressions suppressions;
  private final BiConsumer<String, byte[]> watch;

  /** {@code watch}: where watched alerts' states go ({@link WatchedAlerts}). */
  GroupStore(
      PolicyTopology.Wiring w,
      KeyValueStore<String, byte[]> heads,
      KeyValueStore<String, byte[]> alerts,
      TimerIndex timers,
      BiConsumer<String, byte[]> watch) {
    this.w = w;
    this.heads = new TypedStore<>(heads, GroupHead.class, w.observer());
    this.alerts = new TypedStore<>(alerts, AlertEntry.class, w.observer());
    this.timers = timers;
    this.suppressions = new Suppressions(w);
    this.watch = watch;
  }

  /** Each head, after Kafka Streams restored the stores; its timers are rebuilt by the caller. */
  void forEachHead(BiConsumer<String, GroupHead> each) {
    heads.forEach(each);
  }

  GroupHead head(String key) {
    return heads.get(key);
  }

  AlertEntry alert(String key, String fp) {
    return alerts.get(key + "|" + fp);
  }

  /**
   * Stores {@code after} (null: deletes) and returns the head with its counts moved. An alert that
   * others depend on (an inhibition's source, or one a silence that expires on resolve covers) is
   * written to the watched topic when it starts firing here and deleted from it when it stops.
   */
  GroupHead putAlert(GroupHead g, String fp, AlertEntry before, AlertEntry after) {
    String key = g.key() + "|" + fp;
    boolean was = before != null && before.watched();
    if (after != null) {
      long now = w.clock().millis();
      boolean fires = after.firing() && (was || suppressions.watched(after.latest(), now));
      if (fires && !was) {
        watch.accept(key, PolicyJson.write(WatchedAlerts.of(fp, after.latest(), now)));
        after = after.withWatched(true);
      } else if (!fires && (was || after.watched())) {
        if (was) {
          watch.accept(key, null);
        }
        after = after.withWatched(false);
      }
      alerts.put(key, after);
    } else {
      if (was) {
        watch.accept(key, null);
      }
      alerts.delete(key);
    }
    return g.counted(before, after);
  }

  /** Each alert of the group, in fingerprint order (a store scan: for timers and mails only). */
  void forEachAlert(GroupHead g, BiConsumer<String, AlertEntry> each) {
    String prefix = g.key() + "|";
    alerts.forEachWithPrefix(prefix, (k, a) -> each.accept(k.substring(prefix.length()), a));
  }

  void save(GroupHead g) {
    heads.put(g.key(), g);
  }

  /** Stores the group, or deletes it once it holds no alert: the incident is over. */
  void saveOrDrop(GroupHead g) {
    if (g.size() == 0) {
      delete(g);
    } else {
      save(g);
    }
  }

  /** Deletes the head and its timers; its alerts must be gone already. */
  void delete(GroupHead g) {
    setDue(g, 0);
    setExpires(g, 0);
    heads.delete(g.key());
  }

  GroupHead setDue(GroupHead g, long at) {
    return g.withDue(timers.reschedule(DUE, g.key(), g.due(), at));
  }

  GroupHead setExpires(GroupHead g, long at) {
    return g.withExpires(timers.reschedule(EXPIRY, g.key(), g.expires(), at));
  }

  /** Arms the group's alert-timeout timer unless one is armed: it is never later than needed. */
  GroupHead armExpiry(GroupHead g, RoutePolicy route, long now) {
    if (route.alertTimeout() != null && g.expires() == 0) {
      return setExpires(g, now + route.alertTimeout().toMillis());
    }
    return g;
  }

  /**
   * The Message-ID of the group's mail {@code seq} of its incident to {@code recipient}: one per
   * recipient, since the storm guard decides per recipient and each gets a mail of its own.
   */
  String messageId(GroupHead g, long seq, String recipient) {
    return w.messageId(
        "group",
        g.key(),
        Long.toString(g.incident()),
        Long.toString(seq),
        StormGuard.key(recipient));
  }

  /** The last group mail to the route's first recipient, named by audit lines; null before one. */
  String lastMessageId(GroupHead g, RoutePolicy route) {
    if (g == null || g.seq() == 0 || route == null) {
      return null;
    }
    // The watch the last mail went to, which a rota may since have handed over.
    List<String> crew = route.recipients(Instant.ofEpochMilli(g.lastSent()));
    return crew.isEmpty() ? null : messageId(g, g.seq(), crew.get(0));
  }
}

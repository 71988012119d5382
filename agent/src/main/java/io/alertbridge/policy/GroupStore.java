package io.alertbridge.policy;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The groups' store and their timers: a group's {@code due} (its next mail) and {@code expires}
 * (its first alert that may time out) are kept in the stored value and mirrored in the {@link
 * TimerIndex}, so the index can be rebuilt from the store when a task starts.
 */
final class GroupStore {
  static final String DUE = "g";
  static final String EXPIRY = "x";

  private final PolicyTopology.Wiring w;
  private final KeyValueStore<String, byte[]> store;
  private final TimerIndex timers;

  GroupStore(PolicyTopology.Wiring w, KeyValueStore<String, byte[]> store, TimerIndex timers) {
    this.w = w;
    this.store = store;
    this.timers = timers;
  }

  /** Runs after Kafka Streams restored the store from its changelog. */
  void rebuild(long now) {
    TimerIndex.restore(
        store,
        (key, value) -> {
          GroupState g = PolicyJson.readState(value, GroupState.class);
          timers.reschedule(DUE, g.key, 0, g.due);
          RoutePolicy route = w.routes().get(g.route);
          if (g.expires != 0) {
            timers.reschedule(EXPIRY, g.key, 0, g.expires);
          } else if (route != null && route.alertTimeout() != null && g.hasFiring()) {
            // Stored before alert-timeout was set: its alerts time out unless read from now on.
            timers.reschedule(EXPIRY, g.key, 0, now + route.alertTimeout().toMillis());
          }
        });
  }

  GroupState load(String key) {
    byte[] v = store.get(key);
    return v == null ? null : PolicyJson.readState(v, GroupState.class);
  }

  void save(GroupState g) {
    store.put(g.key, PolicyJson.write(g));
  }

  /** Stores the group, or deletes it once it holds no alert: the incident is over. */
  void saveOrDrop(GroupState g) {
    if (g.alerts.isEmpty()) {
      delete(g);
    } else {
      save(g);
    }
  }

  void delete(GroupState g) {
    setDue(g, 0);
    setExpires(g, 0);
    store.delete(g.key);
  }

  void setDue(GroupState g, long at) {
    g.due = timers.reschedule(DUE, g.key, g.due, at);
  }

  void setExpires(GroupState g, long at) {
    g.expires = timers.reschedule(EXPIRY, g.key, g.expires, at);
  }

  /** Arms the group's alert-timeout timer unless one is armed: it is never later than needed. */
  void armExpiry(GroupState g, RoutePolicy route, long now) {
    if (route.alertTimeout() != null && g.expires == 0) {
      setExpires(g, now + route.alertTimeout().toMillis());
    }
  }

  String messageId(GroupState g, long seq) {
    return w.messageId("group", g.key, Long.toString(g.incident), Long.toString(seq));
  }

  /** What the recipients were last sent about the group: its last mail, or the digest after it. */
  String lastMessageId(GroupState g) {
    if (g == null) {
      return null;
    }
    if (g.foldedInto != null) {
      return g.foldedInto;
    }
    return g.seq == 0 ? null : messageId(g, g.seq);
  }
}

package io.alertbridge.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What is remembered of alerts that left their group, for {@code dedup-window}: the last event time
 * and ids, so a replay of one of its events is recognised instead of starting a new incident.
 * Memory grows with alerts, not with events.
 */
final class ClosedAlerts {
  static final String KIND = "c";

  private final TypedStore<ClosedEntry> store;
  private final TimerIndex timers;
  private final Duration dedupWindow;

  ClosedAlerts(
      KeyValueStore<String, byte[]> store,
      TimerIndex timers,
      Duration dedupWindow,
      PolicyObserver observer) {
    this.store = new TypedStore<>(store, ClosedEntry.class, observer);
    this.timers = timers;
    this.dedupWindow = dedupWindow;
  }

  void rebuild() {
    store.forEach((key, c) -> timers.reschedule(KIND, key, 0, c.until()));
  }

  void close(String groupKey, String fp, AlertEntry a, long now) {
    List<String> recent = new ArrayList<>(a.recent());
    if (!recent.contains(a.latest().id())) {
      recent.add(a.latest().id());
    }
    String key = groupKey + "|" + fp;
    ClosedEntry before = store.get(key);
    long until = now + dedupWindow.toMillis();
    timers.reschedule(KIND, key, before == null ? 0 : before.until(), until);
    store.put(
        key, new ClosedEntry(ClosedEntry.VERSION, a.latest().time(), recent, until, a.flips()));
  }

  ClosedEntry load(String groupKey, String fp) {
    return store.get(groupKey + "|" + fp);
  }

  void delete(String groupKey, String fp, ClosedEntry c) {
    String key = groupKey + "|" + fp;
    timers.reschedule(KIND, key, c.until(), 0);
    store.delete(key);
  }

  /** Forgets an alert whose dedup-window ended. */
  void due(TimerIndex.Timer t) {
    ClosedEntry c = store.get(t.key());
    if (c != null && c.until() == t.at()) {
      store.delete(t.key());
    }
    timers.remove(t);
  }
}

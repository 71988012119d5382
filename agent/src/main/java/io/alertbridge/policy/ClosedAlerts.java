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

  private final KeyValueStore<String, byte[]> store;
  private final TimerIndex timers;
  private final Duration dedupWindow;

  ClosedAlerts(KeyValueStore<String, byte[]> store, TimerIndex timers, Duration dedupWindow) {
    this.store = store;
    this.timers = timers;
    this.dedupWindow = dedupWindow;
  }

  void rebuild() {
    TimerIndex.restore(
        store,
        (key, value) -> {
          ClosedAlert c = PolicyJson.readState(value, ClosedAlert.class);
          timers.reschedule(KIND, c.key, 0, c.until);
        });
  }

  void close(String groupKey, String fp, AlertSnapshot last, List<String> recent, long now) {
    ClosedAlert c = new ClosedAlert();
    c.key = groupKey + "|" + fp;
    c.time = last.time();
    c.recent = new ArrayList<>(recent);
    if (!c.recent.contains(last.id())) {
      c.recent.add(last.id());
    }
    c.until = timers.reschedule(KIND, c.key, 0, now + dedupWindow.toMillis());
    store.put(c.key, PolicyJson.write(c));
  }

  ClosedAlert load(String groupKey, String fp) {
    byte[] v = store.get(groupKey + "|" + fp);
    return v == null ? null : PolicyJson.readState(v, ClosedAlert.class);
  }

  void delete(ClosedAlert c) {
    c.until = timers.reschedule(KIND, c.key, c.until, 0);
    store.delete(c.key);
  }

  /** Forgets an alert whose dedup-window ended. */
  void due(TimerIndex.Timer t) {
    byte[] v = store.get(t.key());
    if (v != null && PolicyJson.readState(v, ClosedAlert.class).until == t.at()) {
      store.delete(t.key());
    }
    timers.remove(t);
  }
}

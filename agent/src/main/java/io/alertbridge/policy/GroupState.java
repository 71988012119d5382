package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One notification group of one route: its alerts and what its last mail told the recipients.
 * Mutable, owned by the single task that handles the group's key; stored as JSON.
 */
final class GroupState {
  String key;
  String route;
  Map<String, String> labels = new LinkedHashMap<>();

  /** When the current incident (mail thread) began; part of every Message-ID of the thread. */
  long incident;

  /** Mails of this incident so far. */
  long seq;

  /** Message-ID of the incident's first mail; later mails reply to it. */
  String threadRoot;

  /** When the last mail of the group was emitted; 0 before the first. */
  long lastSent;

  /** When the group is next looked at (a pending change, or the repeat); 0 for never. */
  long due;

  /**
   * When its first firing alert may time out ({@code alert-timeout}); 0 for no timer. Never later
   * than the earliest real expiry: the timer recomputes it when it fires.
   */
  long expires;

  /**
   * The digest the group's last decision was folded into when every recipient was over the storm
   * guard's limit; null after a mail of the group's own. Repeats and duplicates name it, as it is
   * the last thing the recipients were sent about the group.
   */
  String foldedInto;

  /** Alerts by fingerprint, in arrival order. */
  Map<String, AlertState> alerts = new LinkedHashMap<>();

  /** How many event ids an alert remembers. */
  static final int REMEMBERED = 16;

  /** The state of an alert whose readings stopped, in the mail that reports it. */
  static final String TIMED_OUT = "timed-out";

  /** One alert of the group. */
  static final class AlertState {
    AlertSnapshot latest;

    /** The status the recipients were last told: firing, resolved, or null (never mailed). */
    String notified;

    /** The latest event not yet carried by a mail or audited otherwise; null if none. */
    Pending pending;

    /** The ids of its last {@link #REMEMBERED} events, to recognise a retried or replayed one. */
    List<String> recent = new ArrayList<>();

    void remember(String id) {
      recent.add(id);
      if (recent.size() > REMEMBERED) {
        recent.remove(0);
      }
    }

    /** The event time of its first reading in this incident. */
    long firstSeen;

    /** When its latest reading was processed (this clock); 0 in state of older versions. */
    long refreshed;

    /** No reading came within {@code alert-timeout}; the next mail reports it, then it leaves. */
    boolean timedOut;

    /** What the recipients are to be told: its status, or {@link #TIMED_OUT}. */
    String state() {
      return timedOut ? TIMED_OUT : latest.status();
    }

    /** True when the recipients have not been told this alert's current status. */
    boolean changed() {
      return notified == null || !notified.equals(state());
    }

    boolean firing() {
      return latest.firing() && !timedOut;
    }
  }

  /** An event waiting for the group's next mail, and where it was read. */
  record Pending(String eventId, String topic, int partition, long offset) {
    static Pending of(RoutedEvent e) {
      return new Pending(e.event().id(), e.topic(), e.partition(), e.offset());
    }
  }

  /** A new group for an alert of {@code route}, its incident starting {@code now}. */
  static GroupState open(RoutePolicy route, String key, AlertSnapshot first, long now) {
    GroupState g = new GroupState();
    g.key = key;
    g.route = route.name();
    g.incident = now;
    g.labels = Fingerprints.groupLabels(route.groupBy(), first);
    return g;
  }

  boolean hasChanges() {
    return alerts.values().stream().anyMatch(AlertState::changed);
  }

  boolean hasFiring() {
    return alerts.values().stream().anyMatch(AlertState::firing);
  }
}

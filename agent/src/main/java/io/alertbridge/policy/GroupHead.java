package io.alertbridge.policy;

import java.util.List;
import java.util.Map;

/**
 * A group's header: what a reading needs of its group besides its own alert (timers, incident,
 * counts), small and of fixed shape however many alerts the group holds. Its alerts are {@link
 * AlertEntry} values of their own.
 *
 * @param groupBy the route's {@code group-by} when the group was opened: a group whose route now
 *     groups otherwise is closed at start ({@code regrouped})
 * @param incident when the current incident (mail thread) began; part of every Message-ID of it
 * @param seq the incident's group mails so far
 * @param lastSent when its last mail was sent; 0 before the first
 * @param due when it is next looked at (a pending change, or the repeat); 0 for never
 * @param expires when its first firing alert may time out ({@code alert-timeout}); 0 for no timer
 * @param size its alerts
 * @param changed its alerts whose state the recipients were not told
 * @param firing its firing alerts
 * @param threadRoot the Message-ID its mails answer when the incident's first mail was sent by a
 *     release before issue 16 (one for every recipient, migrated with the group); null otherwise
 * @param followup who was told, acknowledgement, escalation and bounces (issue 18); null before the
 *     incident's first mail
 */
record GroupHead(
    int v,
    String key,
    String route,
    List<String> groupBy,
    Map<String, String> labels,
    long incident,
    long seq,
    long lastSent,
    long due,
    long expires,
    int size,
    int changed,
    int firing,
    String threadRoot,
    Followup followup)
    implements StateValue {
  /** 2 adds {@code followup}; a version-1 head reads as one without. */
  static final int VERSION = 2;

  GroupHead {
    StateValue.check(
        v == VERSION || v == 1, "group head version " + v + ", expected " + VERSION + " or 1");
    StateValue.check(key != null && route != null, "group head without key or route");
    StateValue.check(size >= 0 && changed >= 0 && firing >= 0, "group head counts below 0");
    groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A head without follow-up: before its incident's first mail, or as a migration made it. */
  GroupHead(
      int v,
      String key,
      String route,
      List<String> groupBy,
      Map<String, String> labels,
      long incident,
      long seq,
      long lastSent,
      long due,
      long expires,
      int size,
      int changed,
      int firing,
      String threadRoot) {
    this(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        null);
  }

  GroupHead withFollowup(Followup f) {
    return new GroupHead(
        VERSION,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        f);
  }

  /** A new group for an alert of {@code route}, its incident starting {@code now}. */
  static GroupHead open(RoutePolicy route, String key, AlertSnapshot first, long now) {
    return new GroupHead(
        VERSION,
        key,
        route.name(),
        route.groupBy(),
        Fingerprints.groupLabels(route.groupBy(), first),
        now,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        null);
  }

  /** The counts after one alert went from {@code before} to {@code after} (null: absent). */
  GroupHead counted(AlertEntry before, AlertEntry after) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        due,
        expires,
        // Never below 0: a count that drifted (a value dropped unread) is corrected by the next
        // mail's scan (GroupMails), not turned into a head that cannot be written.
        Math.max(0, size + present(after) - present(before)),
        Math.max(
            0,
            changed
                + flag(after != null && after.changed())
                - flag(before != null && before.changed())),
        Math.max(
            0,
            firing
                + flag(after != null && after.firing())
                - flag(before != null && before.firing())),
        threadRoot,
        followup);
  }

  /** The counts as a scan of the group's alerts found them. */
  GroupHead recounted(int size, int changed, int firing) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  GroupHead withDue(long at) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        at,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  GroupHead withExpires(long at) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        lastSent,
        due,
        at,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  /** After a mail: the next in the incident. */
  GroupHead sent(long now) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq + 1,
        now,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  /**
   * After a mail to others than the route's recipients only (an escalation step, the bounce
   * fallback): the next in the incident, but the recipients' reminder keeps its time.
   */
  GroupHead sentAside() {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq + 1,
        lastSent,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  /** The recipients learnt of it without a mail of its own (a backlog summary). */
  GroupHead withLastSent(long now) {
    return new GroupHead(
        v,
        key,
        route,
        groupBy,
        labels,
        incident,
        seq,
        now,
        due,
        expires,
        size,
        changed,
        firing,
        threadRoot,
        followup);
  }

  boolean hasChanges() {
    return changed > 0;
  }

  boolean hasFiring() {
    return firing > 0;
  }

  private static int present(AlertEntry a) {
    return a == null ? 0 : 1;
  }

  private static int flag(boolean b) {
    return b ? 1 : 0;
  }
}

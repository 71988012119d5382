package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import java.time.Instant;
import java.util.List;

/** Audit lines the policy stage writes: events that get no mail of their own, and why. */
final class PolicyAudit {
  static final String DUPLICATE = "duplicate";
  static final String REPEAT = "repeat";
  static final String STALE = "stale";
  static final String MUTED = "muted";
  static final String GROUPED = "grouped";
  static final String RESOLVED = "resolved";
  static final String SUPERSEDED = "superseded";
  static final String ROUTE_REMOVED = "route-removed";
  static final String TIMED_OUT = "timed-out";
  static final String REGROUPED = "regrouped";
  static final String SILENCED = "silenced";
  static final String INHIBITED = "inhibited";
  static final String FLAPPING = "flapping";

  /** Dropped with the state of the format before issue 16 ({@link LegacyState}). */
  static final String UPGRADED = "upgraded";

  private PolicyAudit() {}

  static AuditRecord line(
      Instant now,
      AuditStatus status,
      List<String> eventIds,
      String topic,
      int partition,
      long offset,
      String route,
      String group,
      String messageId,
      String reason) {
    return new AuditRecord(
        now,
        status,
        eventIds.size() == 1 ? eventIds.get(0) : null,
        eventIds,
        topic,
        partition,
        offset,
        route,
        group,
        List.of(),
        List.of(),
        messageId,
        null,
        null,
        null,
        null,
        null,
        0,
        reason);
  }

  /**
   * A note, not an outcome: the event's time was {@code aheadMillis} ahead of this clock, so it was
   * taken as read {@code now}; another line says what became of the event.
   */
  /** The line of a record the stage dead-letters: {@code invalid} or {@code dead-lettered}. */
  static AuditRecord deadLettered(Instant now, InboundRecord in, String eventId, DeadLetter dl) {
    return line(
        now,
        dl.status(),
        eventId == null ? List.of() : List.of(eventId),
        in.topic(),
        in.partition(),
        in.offset(),
        null,
        null,
        null,
        dl.reason());
  }

  static AuditRecord skewed(Instant now, Instant readAt, RoutedEvent e, long aheadMillis) {
    String reason =
        "event time "
            + Instant.ofEpochMilli(e.event().time())
            + " is "
            + aheadMillis / 1000
            + " s ahead of this clock; taken as read at "
            + readAt;
    return line(
        now,
        AuditStatus.SKEWED,
        List.of(e.event().id()),
        e.topic(),
        e.partition(),
        e.offset(),
        null,
        null,
        null,
        reason);
  }

  /** One event the policy did not mail on its own. */
  static AuditRecord suppressed(
      Instant now, RoutedEvent e, String route, String group, String messageId, String reason) {
    return line(
        now,
        AuditStatus.SUPPRESSED,
        List.of(e.event().id()),
        e.topic(),
        e.partition(),
        e.offset(),
        route,
        group,
        messageId,
        reason);
  }

  /** An event that waited for a mail and was then folded elsewhere. */
  static AuditRecord suppressed(
      Instant now, Pending p, String route, String group, String messageId, String reason) {
    return line(
        now,
        AuditStatus.SUPPRESSED,
        List.of(p.eventId()),
        p.topic(),
        p.partition(),
        p.offset(),
        route,
        group,
        messageId,
        reason);
  }
}

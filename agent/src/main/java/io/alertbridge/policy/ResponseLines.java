package io.alertbridge.policy;

import io.alertbridge.ack.Response;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.time.Instant;
import java.util.List;

/** The audit lines of responses (issue 18): acknowledgements, refusals, reportless bounces. */
final class ResponseLines {
  private ResponseLines() {}

  static AuditRecord.AckNote note(GroupHead g, Followup.Ack a) {
    return new AuditRecord.AckNote(
        a.by(),
        Instant.ofEpochMilli(a.at()),
        a.channel(),
        a.until() == 0 ? null : Instant.ofEpochMilli(a.until()),
        a.messageId(),
        Instant.ofEpochMilli(g.incident()));
  }

  static AuditRecord line(
      GroupHead g,
      AuditStatus status,
      String who,
      Responses.Origin origin,
      long now,
      String reason) {
    AuditRecord r =
        PolicyAudit.line(
            Instant.ofEpochMilli(now),
            status,
            List.of(),
            origin.topic(),
            origin.partition(),
            origin.offset(),
            g == null ? null : g.route(),
            g == null ? null : g.key(),
            null,
            reason);
    return r;
  }

  /** A bounce without a report, whose token named {@code owner} among those the incident told. */
  static AuditRecord bounced(GroupHead g, String owner, Response.Bounce b, long now) {
    return new AuditRecord(
        Instant.ofEpochMilli(now),
        AuditStatus.BOUNCED,
        null,
        List.of(),
        null,
        -1,
        -1,
        g.route(),
        g.key(),
        List.of(owner),
        List.of(),
        b.originalMessageId(),
        null,
        null,
        null,
        null,
        b.queueId(),
        0,
        "bounced: a bounce without a delivery status report; report " + b.messageId());
  }
}

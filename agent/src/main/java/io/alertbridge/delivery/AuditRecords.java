package io.alertbridge.delivery;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.RecipientResult;
import io.alertbridge.smtp.SmtpReply;
import io.alertbridge.smtp.SmtpSubmissionException;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds the audit line for each kind of outcome. */
final class AuditRecords {
  private AuditRecords() {}

  /** What the line says about the mail itself; null fields for lines without one. */
  private record Mail(
      String route,
      String group,
      List<String> recipients,
      List<RecipientResult> refused,
      String messageId,
      String server,
      Optional<SmtpReply> reply,
      String queueId,
      int attempts) {
    static final Mail NONE =
        new Mail(null, null, List.of(), List.of(), null, null, Optional.empty(), null, 0);
  }

  /** One accepted transaction: its own accepted and refused recipients, reply and queue ID. */
  static AuditRecord sent(
      Instant now,
      InboundRecord r,
      MailPlanner.PlannedMail planned,
      OutgoingMail mail,
      Receipt receipt,
      int attempts) {
    List<String> accepted =
        receipt.accepted().isEmpty() ? addresses(mail.recipients()) : receipt.accepted();
    return record(
        now,
        AuditStatus.SENT,
        r,
        planned.eventIds(),
        new Mail(
            planned.route(),
            planned.group(),
            accepted,
            receipt.refused(),
            receipt.messageId(),
            receipt.server(),
            Optional.of(receipt.reply()),
            receipt.queueId().orElse(null),
            attempts),
        null);
  }

  static AuditRecord rejected(
      Instant now,
      InboundRecord r,
      MailPlanner.PlannedMail planned,
      OutgoingMail mail,
      SmtpSubmissionException e,
      int attempts) {
    return record(
        now,
        AuditStatus.REJECTED,
        r,
        planned.eventIds(),
        new Mail(
            planned.route(),
            planned.group(),
            List.of(),
            e.recipients().stream().filter(RecipientResult::refused).toList(),
            mail.messageId(),
            e.server(),
            e.reply(),
            null,
            attempts),
        e.getMessage());
  }

  static AuditRecord uncertain(
      Instant now,
      InboundRecord r,
      MailPlanner.PlannedMail planned,
      OutgoingMail mail,
      SmtpSubmissionException e) {
    return record(
        now,
        AuditStatus.UNCERTAIN,
        r,
        planned.eventIds(),
        new Mail(
            planned.route(),
            planned.group(),
            addresses(mail.recipients()),
            List.of(),
            mail.messageId(),
            e.server(),
            e.reply(),
            null,
            0),
        "no reply after the final dot, the server may have queued it; retrying: " + e.getMessage());
  }

  static AuditRecord withoutMail(
      Instant now,
      AuditStatus status,
      InboundRecord r,
      String eventId,
      String route,
      List<String> recipients,
      String reason) {
    Mail mail = new Mail(route, null, recipients, List.of(), null, null, Optional.empty(), null, 0);
    List<String> ids = eventId == null ? List.of() : List.of(eventId);
    return record(now, status, r, ids, route == null ? Mail.NONE : mail, reason);
  }

  /** A planned mail that could not be built. */
  static AuditRecord withoutMail(
      Instant now,
      AuditStatus status,
      InboundRecord r,
      MailPlanner.PlannedMail planned,
      List<String> recipients,
      String reason) {
    Mail mail =
        new Mail(
            planned.route(),
            planned.group(),
            recipients,
            List.of(),
            null,
            null,
            Optional.empty(),
            null,
            0);
    return record(now, status, r, planned.eventIds(), mail, reason);
  }

  private static AuditRecord record(
      Instant now,
      AuditStatus status,
      InboundRecord r,
      List<String> eventIds,
      Mail m,
      String reason) {
    return new AuditRecord(
        now,
        status,
        eventIds.size() == 1 ? eventIds.get(0) : null,
        eventIds,
        r.topic(),
        r.partition(),
        r.offset(),
        m.route(),
        m.group(),
        m.recipients(),
        m.refused().stream().map(AuditRecords::refused).toList(),
        m.messageId(),
        m.server(),
        m.reply().map(SmtpReply::code).orElse(null),
        m.reply().flatMap(SmtpReply::enhancedStatus).orElse(null),
        m.reply().map(SmtpReply::text).orElse(null),
        m.queueId(),
        m.attempts(),
        reason);
  }

  private static AuditRecord.Refused refused(RecipientResult f) {
    return new AuditRecord.Refused(
        f.address(), f.reply().code(), f.reply().enhancedStatus().orElse(null), f.reply().text());
  }

  static List<String> addresses(List<InternetAddress> recipients) {
    return recipients.stream().map(InternetAddress::getAddress).toList();
  }
}

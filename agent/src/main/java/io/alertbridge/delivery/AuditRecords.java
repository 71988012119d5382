package io.alertbridge.delivery;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.route.Route;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpReply;
import io.alertbridge.smtp.SmtpSubmissionException;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds the audit line for each kind of outcome. */
final class AuditRecords {
  private AuditRecords() {}

  static AuditRecord sent(
      Instant now, InboundRecord r, String eventId, Route route, Receipt receipt, int attempts) {
    return mail(
        now,
        AuditStatus.SENT,
        r,
        eventId,
        route,
        receipt.messageId(),
        receipt.server(),
        Optional.of(receipt.reply()),
        receipt.queueId().orElse(null),
        attempts,
        null);
  }

  static AuditRecord rejected(
      Instant now,
      InboundRecord r,
      String eventId,
      Route route,
      OutgoingMail mail,
      SmtpSubmissionException e,
      int attempts) {
    return mail(
        now,
        AuditStatus.REJECTED,
        r,
        eventId,
        route,
        mail.messageId(),
        e.server(),
        e.reply(),
        null,
        attempts,
        e.getMessage());
  }

  static AuditRecord uncertain(
      Instant now,
      InboundRecord r,
      String eventId,
      Route route,
      OutgoingMail mail,
      SmtpSubmissionException e) {
    return mail(
        now,
        AuditStatus.UNCERTAIN,
        r,
        eventId,
        route,
        mail.messageId(),
        e.server(),
        e.reply(),
        null,
        0,
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
    return record(
        now, status, r, eventId, route, recipients, null, null, Optional.empty(), null, 0, reason);
  }

  private static AuditRecord mail(
      Instant now,
      AuditStatus status,
      InboundRecord r,
      String eventId,
      Route route,
      String messageId,
      String server,
      Optional<SmtpReply> reply,
      String queueId,
      int attempts,
      String reason) {
    return record(
        now,
        status,
        r,
        eventId,
        route.name(),
        addresses(route.recipients()),
        messageId,
        server,
        reply,
        queueId,
        attempts,
        reason);
  }

  private static AuditRecord record(
      Instant now,
      AuditStatus status,
      InboundRecord r,
      String eventId,
      String route,
      List<String> recipients,
      String messageId,
      String server,
      Optional<SmtpReply> reply,
      String queueId,
      int attempts,
      String reason) {
    return new AuditRecord(
        now,
        status,
        eventId,
        r.topic(),
        r.partition(),
        r.offset(),
        route,
        recipients,
        messageId,
        server,
        reply.map(SmtpReply::code).orElse(null),
        reply.flatMap(SmtpReply::enhancedStatus).orElse(null),
        reply.map(SmtpReply::text).orElse(null),
        queueId,
        attempts,
        reason);
  }

  static List<String> addresses(List<InternetAddress> recipients) {
    return recipients.stream().map(InternetAddress::getAddress).toList();
  }
}

package io.alertbridge.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * One line of the audit log: one mail outcome, or one record that produced no mail. Fields that do
 * not apply are null (or empty lists), so every line has the same keys. {@code recipients} are the
 * recipients the server accepted; {@code refused} those it refused, each with its own reply.
 *
 * <p>{@code event_ids} lists every event a mail carries (a group mail carries several; {@code
 * event_id} is set when there is exactly one). {@code group} names the notification group of the
 * policy stage. A {@code suppressed} line is one event that got no mail of its own, its {@code
 * reason} saying why and its {@code message_id} naming the mail that covers it, if any; {@code
 * cause} names what decided it where one thing did (the silence's id for {@code silenced}, the
 * inhibiting alert's fingerprint for {@code inhibited}). {@code silence} is set on the lines that
 * record a silence's changes.
 */
@JsonPropertyOrder({
  "time",
  "status",
  "event_id",
  "event_ids",
  "topic",
  "partition",
  "offset",
  "route",
  "group",
  "recipients",
  "refused",
  "message_id",
  "smtp_server",
  "reply_code",
  "enhanced_status",
  "reply_text",
  "queue_id",
  "attempts",
  "reason",
  "cause",
  "silence"
})
public record AuditRecord(
    Instant time,
    AuditStatus status,
    String eventId,
    List<String> eventIds,
    String topic,
    int partition,
    long offset,
    String route,
    String group,
    List<String> recipients,
    List<AuditRecord.Refused> refused,
    String messageId,
    String smtpServer,
    Integer replyCode,
    String enhancedStatus,
    String replyText,
    String queueId,
    int attempts,
    String reason,
    String cause,
    AuditRecord.SilenceNote silence,
    AuditRecord.AckNote ack) {
  /** A line without {@code ack}. */
  public AuditRecord(
      Instant time,
      AuditStatus status,
      String eventId,
      List<String> eventIds,
      String topic,
      int partition,
      long offset,
      String route,
      String group,
      List<String> recipients,
      List<AuditRecord.Refused> refused,
      String messageId,
      String smtpServer,
      Integer replyCode,
      String enhancedStatus,
      String replyText,
      String queueId,
      int attempts,
      String reason,
      String cause,
      AuditRecord.SilenceNote silence) {
    this(
        time,
        status,
        eventId,
        eventIds,
        topic,
        partition,
        offset,
        route,
        group,
        recipients,
        refused,
        messageId,
        smtpServer,
        replyCode,
        enhancedStatus,
        replyText,
        queueId,
        attempts,
        reason,
        cause,
        silence,
        null);
  }

  /** A line without {@code cause} or {@code silence}: most lines. */
  public AuditRecord(
      Instant time,
      AuditStatus status,
      String eventId,
      List<String> eventIds,
      String topic,
      int partition,
      long offset,
      String route,
      String group,
      List<String> recipients,
      List<AuditRecord.Refused> refused,
      String messageId,
      String smtpServer,
      Integer replyCode,
      String enhancedStatus,
      String replyText,
      String queueId,
      int attempts,
      String reason) {
    this(
        time,
        status,
        eventId,
        eventIds,
        topic,
        partition,
        offset,
        route,
        group,
        recipients,
        refused,
        messageId,
        smtpServer,
        replyCode,
        enhancedStatus,
        replyText,
        queueId,
        attempts,
        reason,
        null,
        null);
  }

  public AuditRecord {
    eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    refused = refused == null ? List.of() : List.copyOf(refused);
  }

  /** A recipient the server refused (5xx to RCPT TO), with its own reply. */
  @JsonPropertyOrder({"address", "reply_code", "enhanced_status", "reply_text"})
  public record Refused(
      String address, Integer replyCode, String enhancedStatus, String replyText) {}

  /**
   * The silence a {@code silence-added} or {@code silence-expired} line records (issue 17): who set
   * it, why, and what it covers, so an auditor can tell why an alert was not mailed.
   */
  @JsonPropertyOrder({"id", "matchers", "starts_at", "ends_at", "created_by", "comment"})
  public record SilenceNote(
      String id,
      List<String> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment) {
    public SilenceNote {
      matchers = matchers == null ? List.of() : List.copyOf(matchers);
    }
  }

  /**
   * An acknowledgement (issue 18): who, when, how, until when, and the reply that carried it.
   *
   * @param channel {@code reply} or {@code link}
   * @param until when it lapses; null: when the incident resolves
   * @param replyMessageId the reply's Message-ID; null for a link
   * @param incident when the acknowledged incident began
   */
  @JsonPropertyOrder({"by", "at", "channel", "until", "reply_message_id", "incident"})
  public record AckNote(
      String by,
      Instant at,
      String channel,
      Instant until,
      String replyMessageId,
      Instant incident) {}

  /** This line with an acknowledgement note. */
  public AuditRecord withAck(AckNote a) {
    return new AuditRecord(
        time,
        status,
        eventId,
        eventIds,
        topic,
        partition,
        offset,
        route,
        group,
        recipients,
        refused,
        messageId,
        smtpServer,
        replyCode,
        enhancedStatus,
        replyText,
        queueId,
        attempts,
        reason,
        cause,
        silence,
        a);
  }

  /** This line with the cause of its {@code reason}: a silence id, an inhibiting alert. */
  public AuditRecord withCause(String c) {
    return new AuditRecord(
        time,
        status,
        eventId,
        eventIds,
        topic,
        partition,
        offset,
        route,
        group,
        recipients,
        refused,
        messageId,
        smtpServer,
        replyCode,
        enhancedStatus,
        replyText,
        queueId,
        attempts,
        reason,
        c,
        silence,
        ack);
  }

  /** The record as one line of JSON, without the line end: the audit log's format. */
  public String toJson() {
    return AuditJson.encode(this);
  }

  /**
   * Reads a line {@link #toJson()} wrote: the policy stage sends its lines over Kafka to the one
   * writer of the audit file.
   *
   * @throws IllegalArgumentException if it is not such a line
   */
  public static AuditRecord fromJson(String line) {
    return AuditJson.decode(line);
  }
}

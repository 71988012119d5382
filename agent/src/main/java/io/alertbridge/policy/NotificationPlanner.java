package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.Durations;
import io.alertbridge.config.Rate;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery stage's side of the policy: one notification record is one mail, rendered with the
 * route's template (group mails) or a built-in one (digests, backlog summaries).
 */
public final class NotificationPlanner implements MailPlanner {
  /** A digest lists this many alerts at most, so a storm cannot outgrow the message size limit. */
  static final int DIGEST_LISTED = 500;

  private final MessageComposer composer;
  private final Rate maxMailsPerRecipient;
  private final Duration maxEventAge;

  public NotificationPlanner(
      MessageComposer composer, Rate maxMailsPerRecipient, Duration maxEventAge) {
    this.composer = composer;
    this.maxMailsPerRecipient = maxMailsPerRecipient;
    this.maxEventAge = maxEventAge;
  }

  @Override
  public Plan plan(InboundRecord r) {
    if (StageRecords.isAudit(r)) {
      return auditLine(r);
    }
    Notification n;
    List<InternetAddress> to = new ArrayList<>();
    try {
      n = PolicyJson.read(r.value() == null ? new byte[0] : r.value(), Notification.class);
      for (String a : n.recipients()) {
        to.add(new InternetAddress(a, true));
      }
    } catch (IOException | AddressException | RuntimeException e) {
      return new Unusable(
          AuditStatus.DEAD_LETTERED, null, "not a notification of the policy stage: " + e);
    }
    MessageComposer.Draft draft = draft(n, to);
    // The oldest event this mail is the first to carry: latency as the recipients feel it.
    Instant oldest =
        n.alerts().stream()
            .filter(a -> n.eventIds().contains(a.event().id()))
            .map(a -> Instant.ofEpochMilli(a.event().time()))
            .min(Instant::compareTo)
            .orElse(null);
    return new Mails(
        List.of(
            new PlannedMail(
                n.route(), to, n.eventIds(), n.group(), oldest, () -> composer.compose(draft))));
  }

  /** An audit line of the policy stage, committed with the decision it records. */
  private static Plan auditLine(InboundRecord r) {
    try {
      String line = new String(r.value() == null ? new byte[0] : r.value(), StandardCharsets.UTF_8);
      return new AuditOnly(List.of(AuditRecord.fromJson(line)));
    } catch (IllegalArgumentException e) {
      return new Unusable(
          AuditStatus.DEAD_LETTERED, null, "not an audit line of the policy stage: " + e);
    }
  }

  MessageComposer.Draft draft(Notification n, List<InternetAddress> to) {
    List<Map<String, Object>> alerts = n.alerts().stream().map(NotificationPlanner::alert).toList();
    Map<String, Object> context =
        Templates.groupContext(n.route(), n.group(), n.groupLabels(), alerts);
    // A group larger than a mail lists is counted in full.
    context.put("unlisted", Math.max(0, n.total() - alerts.size()));
    String template = n.template();
    if (Notification.DIGEST.equals(n.kind())) {
      template = Templates.DIGEST;
      Map<String, Object> digest = new LinkedHashMap<>();
      digest.put("alerts", n.total());
      digest.put("groups", n.groups());
      digest.put("since", time(n.since()));
      digest.put("limit", maxMailsPerRecipient == null ? 0 : maxMailsPerRecipient.permits());
      // The total counts alerts of groups larger than a group mail lists, which the digest only
      // counts: "and N more" is the total less what is listed.
      digest.put("listed", Math.min(n.alerts().size(), DIGEST_LISTED));
      context.put("digest", digest);
    } else if (Notification.BACKLOG.equals(n.kind())) {
      template = Templates.BACKLOG;
      Map<String, Object> backlog = new LinkedHashMap<>();
      backlog.put("events", n.total());
      backlog.put("from", time(n.since()));
      backlog.put("to", time(n.until()));
      backlog.put("unlisted", n.groups());
      backlog.put("max_age", Durations.format(maxEventAge));
      context.put("backlog", backlog);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Alertbridge-Route", n.route());
    headers.put("X-Alertbridge-Group", n.group());
    if (n.eventIds().size() == 1) {
      headers.put("X-Alertbridge-Event-Id", n.eventIds().get(0));
    }
    return new MessageComposer.Draft(template, context, n.messageId(), n.inReplyTo(), to, headers);
  }

  private static Map<String, Object> alert(Notification.Alert a) {
    AlertSnapshot e = a.event();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("time", time(e.time()));
    m.put("source", e.source());
    m.put("type", e.type());
    m.put("severity", e.severity());
    m.put("status", e.status());
    m.put("summary", e.summary());
    m.put("description", e.description());
    m.put("labels", e.labels());
    m.put("values", e.values());
    m.put("state", a.state());
    m.put("starts_at", time(a.firstSeen()));
    m.put("fingerprint", a.fingerprint());
    m.put("route", a.route() == null ? "" : a.route());
    m.put("group_labels", a.groupLabels() == null ? Map.of() : a.groupLabels());
    return m;
  }

  private static OffsetDateTime time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
  }
}

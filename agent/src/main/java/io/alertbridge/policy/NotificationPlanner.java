package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.Durations;
import io.alertbridge.config.Rate;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.SilenceHint;
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
  private final FollowupDrafts followups;

  public NotificationPlanner(
      MessageComposer composer, Rate maxMailsPerRecipient, Duration maxEventAge) {
    this(composer, maxMailsPerRecipient, maxEventAge, ResponseAddresses.NONE);
  }

  /** With {@code addresses}: mails carry reply and bounce tokens and links (issue 18). */
  public NotificationPlanner(
      MessageComposer composer,
      Rate maxMailsPerRecipient,
      Duration maxEventAge,
      ResponseAddresses addresses) {
    this.composer = composer;
    this.maxMailsPerRecipient = maxMailsPerRecipient;
    this.maxEventAge = maxEventAge;
    this.followups = new FollowupDrafts(addresses);
  }

  @Override
  public Plan plan(InboundRecord r) {
    if (StageRecords.isAudit(r)) {
      return auditLine(r);
    }
    Notification n;
    List<InternetAddress> to = new ArrayList<>();
    try {
      byte[] value = r.value() == null ? new byte[0] : r.value();
      Parsed p = read(value);
      n = p.notification();
      for (String a : p.recipients()) {
        to.add(new InternetAddress(a, true));
      }
    } catch (IOException | AddressException | RuntimeException e) {
      return new Unusable(
          AuditStatus.DEAD_LETTERED, null, "not a notification of the policy stage: " + e);
    }
    MessageComposer.Draft draft = draft(n, to);
    // The oldest event this mail is the first to carry: latency as the recipients feel it.
    java.util.Set<String> carried = new java.util.HashSet<>(n.eventIds());
    Instant oldest =
        n.alerts().stream()
            .filter(a -> carried.contains(a.event().id()))
            .map(a -> Instant.ofEpochMilli(a.event().time()))
            .min(Instant::compareTo)
            .orElse(null);
    String route =
        n instanceof Notification.GroupMail g
            ? g.route()
            : n instanceof Notification.BacklogSummary b
                ? b.route()
                : n instanceof Notification.Acknowledgement a ? a.route() : "digest";
    return new Mails(
        List.of(
            new PlannedMail(
                route, to, n.eventIds(), n.group(), oldest, () -> composer.compose(draft))));
  }

  /** A notification and whom it goes to (a legacy one: all its recipients in one mail). */
  private record Parsed(Notification notification, List<String> recipients) {}

  /** A notification of this release, or of the release before issue 16. */
  private static Parsed read(byte[] value) throws IOException {
    try {
      Notification n = PolicyJson.read(value, Notification.class);
      if (n == null) {
        throw new IOException("empty record");
      }
      return new Parsed(n, n.recipients());
    } catch (IOException e) {
      LegacyNotification legacy = legacy(value);
      if (legacy == null) {
        throw e;
      }
      return new Parsed(legacy.current(), legacy.recipients());
    }
  }

  /** The record as the release before issue 16 wrote it (all recipients in one), or null. */
  private static LegacyNotification legacy(byte[] value) {
    try {
      LegacyNotification l = PolicyJson.read(value, LegacyNotification.class);
      return l != null && l.recipients() != null && l.current() != null ? l : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
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
    if (n instanceof Notification.Acknowledgement a) {
      return FollowupDrafts.acknowledgement(a, to);
    }
    List<Map<String, Object>> alerts = n.alerts().stream().map(NotificationPlanner::alert).toList();
    String route = "digest";
    String template;
    String inReplyTo = null;
    Map<String, String> groupLabels = Map.of();
    long unlisted;
    Map<String, Object> extra = new LinkedHashMap<>();
    if (n instanceof Notification.GroupMail g) {
      route = g.route();
      template = g.template();
      inReplyTo = g.inReplyTo();
      groupLabels = g.groupLabels();
      // A group larger than a mail lists is counted in full.
      unlisted = Math.max(0, g.total() - alerts.size());
    } else if (n instanceof Notification.Digest d) {
      template = Templates.DIGEST;
      unlisted = Math.max(0, d.total() - alerts.size());
      Map<String, Object> digest = new LinkedHashMap<>();
      digest.put("alerts", d.total());
      digest.put("groups", d.groups());
      digest.put("since", time(d.since()));
      digest.put("limit", maxMailsPerRecipient == null ? 0 : maxMailsPerRecipient.permits());
      // "and N more" is the total less what is listed.
      digest.put("listed", Math.min(alerts.size(), DIGEST_LISTED));
      extra.put("digest", digest);
    } else {
      Notification.BacklogSummary b = (Notification.BacklogSummary) n;
      route = b.route();
      template = Templates.BACKLOG;
      unlisted = 0;
      Map<String, Object> backlog = new LinkedHashMap<>();
      backlog.put("events", b.total());
      backlog.put("from", time(b.from()));
      backlog.put("to", time(b.until()));
      backlog.put("unlisted", b.unlisted());
      backlog.put("max_age", Durations.format(maxEventAge));
      extra.put("backlog", backlog);
    }
    Map<String, Object> context = Templates.groupContext(route, n.group(), groupLabels, alerts);
    context.put("unlisted", unlisted);
    context.putAll(extra);
    context.put(SilenceHint.MATCHERS, SilenceHint.common(alerts));
    context.put(
        "flapping_only",
        !alerts.isEmpty() && alerts.stream().allMatch(a -> "flapping".equals(a.get("state"))));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Alertbridge-Route", route);
    headers.put("X-Alertbridge-Group", n.group());
    if (n.eventIds().size() == 1) {
      headers.put("X-Alertbridge-Event-Id", n.eventIds().get(0));
    }
    MessageComposer.Draft d =
        new MessageComposer.Draft(template, context, n.messageId(), inReplyTo, to, headers);
    return n instanceof Notification.GroupMail g ? followups.group(d, g) : d;
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
    m.put("changes", a.changes());
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

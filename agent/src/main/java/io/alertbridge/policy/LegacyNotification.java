package io.alertbridge.policy;

import java.util.List;
import java.util.Map;

/**
 * A notification as a release before issue 16 wrote it: one record for all recipients, with fields
 * whose meaning changed with its kind. A daemon upgraded while such records wait on {@code
 * STATE-notifications} (an SMTP outage at upgrade time) still mails them, to all their recipients
 * as before, rather than dead-lettering what the old release decided.
 */
record LegacyNotification(
    String kind,
    String route,
    String template,
    List<String> recipients,
    String group,
    Map<String, String> groupLabels,
    String messageId,
    String inReplyTo,
    List<Notification.Alert> alerts,
    List<String> eventIds,
    long created,
    long since,
    long until,
    long total,
    long groups) {

  /** The same mail as this release's type; null when the record is not of this shape. */
  Notification current() {
    if (kind == null || messageId == null || recipients == null || recipients.isEmpty()) {
      return null;
    }
    List<Notification.Alert> listed = alerts == null ? List.of() : alerts;
    return switch (kind) {
      case Notification.GROUP ->
          new Notification.GroupMail(
              route,
              template,
              recipients.get(0),
              group,
              groupLabels,
              messageId,
              inReplyTo,
              listed,
              (eventIds == null ? List.<String>of() : eventIds)
                  .stream().map(id -> new Pending(id, null, -1, -1)).toList(),
              List.of(),
              created,
              total);
      case Notification.DIGEST ->
          new Notification.Digest(
              recipients.get(0), messageId, listed, created, since, total, groups);
      case Notification.BACKLOG ->
          new Notification.BacklogSummary(
              route, recipients, messageId, listed, created, since, until, total, groups);
      default -> null;
    };
  }
}

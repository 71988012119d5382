package io.alertbridge.policy;

import java.util.List;
import java.util.Map;

/**
 * One mail the policy stage decided to send, as a record on the notification topic. It carries
 * everything the delivery stage needs to render it, so delivery keeps no state; its Message-ID is
 * fixed here, so a redelivered notification is the same mail.
 *
 * @param kind {@code group}, {@code digest} or {@code backlog}
 * @param template the route's template for group mails; null for digests and backlog summaries,
 *     which use the built-in templates
 * @param inReplyTo the thread's first Message-ID, null for a thread's first mail
 * @param eventIds the events this mail is the audit record of
 * @param since digests: the window's start; backlogs: the oldest event's time (epoch ms)
 * @param until backlogs: the newest event's time
 * @param total digests and backlogs: how many alerts or events, listed or not
 * @param groups digests: how many groups were folded
 */
record Notification(
    String kind,
    String route,
    String template,
    List<String> recipients,
    String group,
    Map<String, String> groupLabels,
    String messageId,
    String inReplyTo,
    List<Alert> alerts,
    List<String> eventIds,
    long created,
    long since,
    long until,
    long total,
    long groups) {
  static final String GROUP = "group";
  static final String DIGEST = "digest";
  static final String BACKLOG = "backlog";

  /**
   * One alert in a mail.
   *
   * @param state {@code new} (firing, not mailed before), {@code firing} (still firing) or {@code
   *     resolved}
   * @param group and {@code route}: set in digests, which list several groups
   */
  record Alert(
      String fingerprint,
      String state,
      AlertSnapshot event,
      long firstSeen,
      String route,
      Map<String, String> groupLabels) {}
}

package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the grouping step hands the mail step over {@code STATE-mails}: a group's mail to one
 * recipient (keyed by the recipient, for the storm guard), or a stale event (keyed by its route,
 * for the backlog summary).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Notification.GroupMail.class, name = "group"),
  @JsonSubTypes.Type(value = StaleEvent.class, name = "stale")
})
sealed interface MailRequest permits Notification.GroupMail, StaleEvent {
  /** The key of a group mail on {@code STATE-mails}: its recipient, as mail servers compare it. */
  static String recipientKey(String address) {
    return "to:" + address.toLowerCase(java.util.Locale.ROOT);
  }

  /** The key of a route's stale events on {@code STATE-mails}. */
  static String backlogKey(String route) {
    return "backlog:" + route;
  }
}

package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * How many bytes the alerts a notification lists may take, so that its record stays below Kafka's
 * limit on a record (the producer's {@code max.request.size} and the topic's {@code
 * max.message.bytes}, 1 MiB by default) whatever the alerts carry: an event may be up to {@code
 * kafka.max-event-size} itself, and a storm folds hundreds of groups into one digest. An alert that
 * does not fit is counted in the mail ("and N more"), never dropped from it, and the record cannot
 * be refused by the producer, which would leave the mail to the dead-letter topic (issue 15).
 */
final class NotificationBudget {
  /**
   * Half of Kafka's default limit: the rest of a record (recipients, event ids, labels, headers)
   * fits in the other half many times over.
   */
  static final int MAX_LISTED_BYTES = 512 * 1024;

  private final int maxBytes;
  private int used;

  NotificationBudget() {
    this(MAX_LISTED_BYTES);
  }

  NotificationBudget(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes {@code a} into the budget if it fits; false leaves the budget as it was. */
  boolean admits(Notification.Alert a) {
    int size = PolicyJson.write(a).length;
    if (used + size > maxBytes) {
      return false;
    }
    used += size;
    return true;
  }

  /** The alerts, in their order, that fit in at most {@code maxCount} and the byte budget. */
  static List<Notification.Alert> fit(List<Notification.Alert> alerts, int maxCount) {
    NotificationBudget budget = new NotificationBudget();
    List<Notification.Alert> listed = new ArrayList<>();
    for (Notification.Alert a : alerts) {
      if (listed.size() < maxCount && budget.admits(a)) {
        listed.add(a);
      }
    }
    return listed;
  }
}

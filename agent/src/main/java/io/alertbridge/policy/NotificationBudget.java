package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * How many bytes the alerts a notification lists (and the ids of the events it carries) may take,
 * so that its record stays below {@link TypedStore#MAX_VALUE_BYTES} whatever the alerts carry: a
 * storm folds hundreds of groups into one digest. An alert that does not fit is counted in the mail
 * ("and N more"), never dropped from it (issue 15, 16).
 */
final class NotificationBudget {
  /**
   * Three quarters of the bound on a record: the rest (recipients, labels, headers) fits in the
   * other quarter many times over.
   */
  static final int MAX_LISTED_BYTES = 192 * 1024;

  private final int maxBytes;
  private int used;
  private boolean full;

  NotificationBudget() {
    this(MAX_LISTED_BYTES);
  }

  NotificationBudget(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes {@code a} into the budget if it fits; false leaves the budget as it was. */
  boolean admits(Notification.Alert a) {
    return admits(a, null);
  }

  /** Takes {@code a} and the event it carries into the budget if both fit. */
  boolean admits(Notification.Alert a, Pending carried) {
    int size = PolicyJson.write(a).length;
    if (carried != null) {
      size += PolicyJson.write(carried).length;
    }
    if (used + size > maxBytes) {
      return false;
    }
    used += size;
    return true;
  }

  /** Takes the id of an event carried without its alert being listed, if it fits. */
  boolean admits(Pending carried) {
    int size = PolicyJson.write(carried).length;
    if (used + size > maxBytes) {
      full = true;
      return false;
    }
    used += size;
    return true;
  }

  /** True once an event id did not fit: the events after it are audited on their own. */
  boolean full() {
    return full;
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

package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What a group's next mail lists: at most {@code maxListed} alerts within the {@link
 * NotificationBudget}, each with its state as the recipients are to be told it, the pending events
 * it carries, and the pending events of the alerts beyond the list (counted in {@code total},
 * carried by the same mail).
 */
record GroupListing(
    List<Notification.Alert> alerts,
    List<GroupState.Pending> carried,
    List<GroupState.Pending> unlisted,
    int total) {

  /**
   * Lists {@code g}'s alerts; a resolved alert of a route that does not mail resolutions leaves the
   * group here, handed to {@code dropped}.
   */
  static GroupListing of(
      GroupState g,
      RoutePolicy route,
      int maxListed,
      BiConsumer<String, GroupState.AlertState> dropped) {
    List<Notification.Alert> alerts = new ArrayList<>();
    List<GroupState.Pending> carried = new ArrayList<>();
    List<GroupState.Pending> unlisted = new ArrayList<>();
    int total = 0;
    NotificationBudget budget = new NotificationBudget();
    for (Iterator<Map.Entry<String, GroupState.AlertState>> it = g.alerts.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, GroupState.AlertState> entry = it.next();
      GroupState.AlertState a = entry.getValue();
      String state = a.state();
      if ("resolved".equals(state) && !route.sendResolved()) {
        it.remove();
        dropped.accept(entry.getKey(), a);
        continue;
      }
      if ("firing".equals(state)) {
        state = "firing".equals(a.notified) ? "firing" : "new";
      }
      total++;
      Notification.Alert listed =
          new Notification.Alert(entry.getKey(), state, a.latest, a.firstSeen, null, null);
      if (alerts.size() < maxListed && budget.admits(listed)) {
        alerts.add(listed);
        if (a.pending != null) {
          carried.add(a.pending);
        }
      } else if (a.pending != null) {
        unlisted.add(a.pending);
      }
    }
    return new GroupListing(alerts, carried, unlisted, total);
  }
}

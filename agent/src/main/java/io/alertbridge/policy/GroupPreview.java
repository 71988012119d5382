package io.alertbridge.policy;

import io.alertbridge.event.AlertEvent;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.RenderException;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.OutgoingMail;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first mail each group would get if these events arrived within its group-wait: for {@code
 * alertbridge render} with several events, to see a group mail without running the daemon.
 */
public final class GroupPreview {
  /** One group's mail. */
  public record Mail(String route, String group, OutgoingMail mail) {}

  private GroupPreview() {}

  public static List<Mail> render(
      List<AlertEvent> events,
      Router router,
      Map<String, RoutePolicy> policies,
      NotificationPlanner planner,
      MessageComposer composer)
      throws RenderException {
    Map<String, Map<String, AlertSnapshot>> groups = new LinkedHashMap<>();
    Map<String, RoutePolicy> routeOf = new LinkedHashMap<>();
    Map<String, Map<String, String>> labelsOf = new LinkedHashMap<>();
    for (AlertEvent e : events) {
      AlertSnapshot s = AlertSnapshot.of(e);
      for (Route r : router.route(e)) {
        RoutePolicy p = policies.get(r.name());
        String key = Fingerprints.groupKey(p.name(), p.groupBy(), s);
        routeOf.put(key, p);
        labelsOf.put(key, Fingerprints.groupLabels(p.groupBy(), s));
        // Later readings of one alert replace earlier ones, as in the policy stage.
        groups
            .computeIfAbsent(key, k -> new LinkedHashMap<>())
            .merge(Fingerprints.of(s), s, (old, now) -> now.time() >= old.time() ? now : old);
      }
    }
    List<Mail> out = new ArrayList<>();
    for (var g : groups.entrySet()) {
      RoutePolicy p = routeOf.get(g.getKey());
      List<Notification.Alert> alerts = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      g.getValue()
          .forEach(
              (fp, s) -> {
                if (s.firing() || p.sendResolved()) {
                  alerts.add(
                      new Notification.Alert(
                          fp, s.firing() ? "new" : "resolved", s, s.time(), null, null));
                  ids.add(s.id());
                }
              });
      if (alerts.isEmpty()) {
        continue;
      }
      // One mail per recipient, as the policy stage sends them.
      for (String recipient : p.recipients(Instant.now())) {
        Notification n =
            new Notification.GroupMail(
                p.name(),
                p.template(),
                recipient,
                g.getKey(),
                labelsOf.get(g.getKey()),
                "<"
                    + Fingerprints.hash(g.getKey() + "\u0000" + recipient, 16)
                    + ".preview.alertbridge@"
                    + composer.messageIdDomain()
                    + ">",
                null,
                alerts,
                ids.stream().map(id -> new Pending(id, "", 0, 0)).toList(),
                List.of(),
                System.currentTimeMillis(),
                alerts.size());
        InternetAddress to;
        try {
          to = new InternetAddress(recipient, true);
        } catch (AddressException e) {
          throw new IllegalStateException(
              "recipient passed validation but not parsing: " + recipient, e);
        }
        out.add(new Mail(p.name(), g.getKey(), composer.compose(planner.draft(n, List.of(to)))));
      }
    }
    return out;
  }
}

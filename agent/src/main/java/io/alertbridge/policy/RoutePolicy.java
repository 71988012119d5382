package io.alertbridge.policy;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.MuteWindow;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A route's notification policy, compiled from its settings.
 *
 * @param partitionKey the key the route's events are partitioned by. Routes that share a recipient
 *     share the key, so one task sees every mail each recipient gets and can hold the storm guard's
 *     count exactly; routes with disjoint recipients spread over partitions and instances.
 */
public record RoutePolicy(
    String name,
    String partitionKey,
    List<String> recipients,
    String template,
    List<String> groupBy,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    boolean sendResolved,
    List<MuteWindow> mute,
    Duration alertTimeout,
    boolean resolveOnTimeout) {
  public RoutePolicy {
    recipients = List.copyOf(recipients);
    groupBy = List.copyOf(groupBy);
    mute = List.copyOf(mute);
  }

  public boolean mutedAt(Instant t) {
    return MuteWindow.muted(mute, t);
  }

  /** The policies of a validated configuration's routes, by route name, in route order. */
  public static Map<String, RoutePolicy> of(AlertbridgeConfig config, Router router) {
    List<Route> routes = router.routes();
    Map<String, String> component = components(routes);
    Map<String, RoutePolicy> out = new LinkedHashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      RouteSettings s = config.routes().get(i);
      out.put(
          r.name(),
          new RoutePolicy(
              r.name(),
              component.get(r.name()),
              r.recipients().stream().map(InternetAddress::getAddress).toList(),
              r.template(),
              s.groupBy(),
              s.groupWait(),
              s.groupInterval(),
              s.repeatInterval(),
              s.sendResolved(),
              s.mute().stream().map(MuteWindow::of).toList(),
              s.alertTimeout(),
              RouteSettings.RESOLVE.equals(s.onAlertTimeout())));
    }
    return out;
  }

  /** Union-find over routes that share a recipient; each set is named by its first route. */
  private static Map<String, String> components(List<Route> routes) {
    Map<String, String> parent = new LinkedHashMap<>();
    Map<String, String> byRecipient = new HashMap<>();
    for (Route r : routes) {
      parent.put(r.name(), r.name());
    }
    for (Route r : routes) {
      for (InternetAddress a : r.recipients()) {
        String address = a.getAddress().toLowerCase(Locale.ROOT);
        String other = byRecipient.putIfAbsent(address, r.name());
        if (other != null) {
          union(parent, other, r.name());
        }
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : parent.keySet()) {
      out.put(name, find(parent, name));
    }
    return out;
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (!parent.get(root).equals(root)) {
      root = parent.get(root);
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a);
    String rb = find(parent, b);
    if (!ra.equals(rb)) {
      // The earlier route (smaller index in insertion order) stays the root: stable names.
      List<String> names = new ArrayList<>(parent.keySet());
      if (names.indexOf(ra) < names.indexOf(rb)) {
        parent.put(rb, ra);
      } else {
        parent.put(ra, rb);
      }
    }
  }
}

package io.alertbridge.route;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.event.AlertEvent;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the routes for an event: in configuration order, the first match wins unless that route
 * says {@code continue: true}, in which case later routes are tried too.
 */
public final class Router {
  private static final String LIST_PREFIX = "list:";

  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Compiles the routes of a validated configuration, expanding {@code list:NAME} recipients. */
  public static Router of(AlertbridgeConfig config) {
    List<Route> compiled = new ArrayList<>();
    for (RouteSettings r : config.routes()) {
      Set<String> addresses = new LinkedHashSet<>();
      for (String to : r.to()) {
        if (to.startsWith(LIST_PREFIX)) {
          addresses.addAll(config.lists().get(to.substring(LIST_PREFIX.length())));
        } else {
          addresses.add(to);
        }
      }
      compiled.add(Route.of(r, addresses.stream().map(Router::address).toList()));
    }
    return new Router(compiled);
  }

  private static InternetAddress address(String validated) {
    try {
      return new InternetAddress(validated, true);
    } catch (AddressException e) {
      // ConfigValidator checked every recipient with the stricter SMTP grammar.
      throw new IllegalStateException(
          "recipient passed validation but not parsing: " + validated, e);
    }
  }

  public List<Route> routes() {
    return routes;
  }

  public List<Route> route(AlertEvent event) {
    List<Route> matched = new ArrayList<>();
    for (Route r : routes) {
      if (r.matches(event)) {
        matched.add(r);
        if (!r.continueMatching()) {
          break;
        }
      }
    }
    return matched;
  }
}

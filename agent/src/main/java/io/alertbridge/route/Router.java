package io.alertbridge.route;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.event.AlertEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the routes for an event: in configuration order, the first match wins unless that route
 * says {@code continue: true}, in which case later routes are tried too.
 */
public final class Router {
  private final List<Route> routes;
  private final Recipients recipients;

  private Router(List<Route> routes, Recipients recipients) {
    this.routes = List.copyOf(routes);
    this.recipients = recipients;
  }

  /** Compiles the routes of a validated configuration and the lists their recipients name. */
  public static Router of(AlertbridgeConfig config) {
    Recipients lists = Recipients.of(config.lists());
    List<Route> compiled = new ArrayList<>();
    for (RouteSettings r : config.routes()) {
      compiled.add(Route.of(r, lists));
    }
    return new Router(compiled, lists);
  }

  /** The configuration's lists, to resolve other recipients (escalation steps) at send time. */
  public Recipients recipients() {
    return recipients;
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

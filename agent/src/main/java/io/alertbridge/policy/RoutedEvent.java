package io.alertbridge.policy;

import java.util.List;

/**
 * An event on its way from the alert topics to the grouping step, with the route it matched (one
 * record per route, keyed by its group; earlier versions sent several routes in one record) and
 * where it was read (for its audit line).
 */
record RoutedEvent(
    AlertSnapshot event, List<String> routes, String topic, int partition, long offset) {
  /** This event for one of its routes. */
  RoutedEvent forRoute(String route) {
    return new RoutedEvent(event, List.of(route), topic, partition, offset);
  }
}

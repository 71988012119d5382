package io.alertbridge.policy;

import java.util.List;

/**
 * An event on its way from the alert topics to the policy processor, with the routes it matched and
 * where it was read (for its audit line).
 */
record RoutedEvent(
    AlertSnapshot event, List<String> routes, String topic, int partition, long offset) {}

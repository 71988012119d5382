package io.alertbridge.policy;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.route.Router;
import io.alertbridge.silence.InhibitRule;
import java.util.List;
import java.util.Map;

/**
 * What the policy decides with, from one valid configuration: routing, each route's policy and the
 * inhibition rules. A reload (issue 17) swaps the whole value in {@link LiveRules}, so a step never
 * sees half of one configuration and half of another.
 *
 * @param version counts reloads: a task that sees a new version looks for groups to close
 */
public record PolicyRules(
    Router router, Map<String, RoutePolicy> routes, List<InhibitRule> inhibit, long version) {
  public PolicyRules {
    routes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(routes));
    inhibit = List.copyOf(inhibit);
  }

  public static PolicyRules of(AlertbridgeConfig config, Router router, long version) {
    return new PolicyRules(
        router,
        RoutePolicy.of(config, router),
        config.inhibit().stream()
            .map(i -> InhibitRule.parse(i.source(), i.target(), i.equal()))
            .toList(),
        version);
  }
}

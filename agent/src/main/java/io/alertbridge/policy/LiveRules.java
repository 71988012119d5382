package io.alertbridge.policy;

import io.alertbridge.route.Router;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy's current rules, replaced whole by a reload while the Streams application runs:
 * routes, lists, templates, timings, mute windows and inhibition change without a rebalance.
 */
public final class LiveRules {
  private final AtomicReference<PolicyRules> current;

  public LiveRules(PolicyRules initial) {
    this.current = new AtomicReference<>(initial);
  }

  /** Rules that never change: tests and tools. */
  public static LiveRules fixed(Router router, Map<String, RoutePolicy> routes) {
    return new LiveRules(new PolicyRules(router, routes, List.of(), 0));
  }

  public PolicyRules get() {
    return current.get();
  }

  /** Takes effect for the next record and tick of every task. */
  public void set(PolicyRules rules) {
    current.set(rules);
  }
}

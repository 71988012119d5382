package io.alertbridge.metrics;

import io.alertbridge.policy.PolicyObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The policy stage's own counters, in the daemon's registry. */
public final class PolicyMetrics implements PolicyObserver {
  /**
   * Sources get a label of their own up to this many; the rest share {@code other}. A plant has a
   * few dozen producers; a label per event source beyond that would be unbounded series.
   */
  static final int MAX_SOURCES = 100;

  static final String OTHER = "other";

  private final Counter skewed;
  private final Counter timerFailures;
  private final Set<String> sources = ConcurrentHashMap.newKeySet();

  public PolicyMetrics(PrometheusRegistry registry) {
    skewed =
        Counter.builder()
            .name("alertbridge_policy_skewed_events_total")
            .help(
                "Events whose time was more than policy.max-clock-skew ahead of this clock, by"
                    + " source (the first 100 sources, then other): a producer with a wrong clock")
            .labelNames("source")
            .register(registry);
    timerFailures =
        Counter.builder()
            .name("alertbridge_policy_timer_failures_total")
            .help("Policy timers (group mails, digests, summaries) that failed and were dropped")
            .register(registry);
    timerFailures.inc(0);
  }

  @Override
  public void clockSkewed(String source, Duration skew) {
    String s = source == null ? "" : source;
    if (!sources.contains(s)) {
      if (sources.size() < MAX_SOURCES) {
        sources.add(s); // two threads may pass the check at once: a few over, still bounded
      } else {
        s = OTHER;
      }
    }
    skewed.labelValues(s).inc();
  }

  @Override
  public void timerFailed(String kind) {
    timerFailures.inc();
  }
}

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
  private final Counter stateDropped;
  private final Counter didNotFit;
  private final Counter grouped;
  private final Counter flapping;
  private final Counter escalations;
  private final Counter acknowledgements;
  private final io.prometheus.metrics.core.metrics.Histogram timeToAck;
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
    stateDropped =
        Counter.builder()
            .name("alertbridge_policy_state_dropped_total")
            .help(
                "Policy state values that could not be read (another schema version, a bug) and"
                    + " were dropped, by store; the error log names the key")
            .labelNames("store")
            .register(registry);
    io.alertbridge.policy.PolicyTopology.STORES.forEach(s -> stateDropped.labelValues(s).inc(0));
    didNotFit =
        Counter.builder()
            .name("alertbridge_policy_did_not_fit_total")
            .help(
                "What did not fit its bound and was cut or counted instead: event (a snapshot cut"
                    + " to 16 KiB), digest (an alert counted, not listed), groups, backlog")
            .labelNames("what")
            .register(registry);
    for (String what : new String[] {"event", "digest", "groups", "backlog"}) {
      didNotFit.labelValues(what).inc(0);
    }
    grouped =
        Counter.builder()
            .name("alertbridge_policy_events_grouped_total")
            .help(
                "Events the policy's grouping step handled on this instance: its share of the work")
            .register(registry);
    grouped.inc(0);
    flapping =
        Counter.builder()
            .name("alertbridge_policy_flapping_alerts_total")
            .help(
                "Alerts found flapping (changing between firing and resolved more than"
                    + " flap-detection allows), by route: the chattering sensors to fix")
            .labelNames("route")
            .register(registry);
    escalations =
        Counter.builder()
            .name("alertbridge_policy_escalations_total")
            .help(
                "Escalation steps mailed because nobody acknowledged an incident in time, by route"
                    + " and step (1 is the first)")
            .labelNames("route", "step")
            .register(registry);
    acknowledgements =
        Counter.builder()
            .name("alertbridge_policy_acknowledgements_total")
            .help("Incidents acknowledged, by route and channel (reply or link)")
            .labelNames("route", "channel")
            .register(registry);
    timeToAck =
        io.prometheus.metrics.core.metrics.Histogram.builder()
            .name("alertbridge_policy_time_to_acknowledge_seconds")
            .help(
                "From an incident's first mail to its acknowledgement, by route: how long alarms"
                    + " wait for an owner")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .classicUpperBounds(60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400)
            .labelNames("route")
            .register(registry);
  }

  @Override
  public void escalated(String route, int step) {
    escalations.labelValues(route, Integer.toString(step)).inc();
  }

  @Override
  public void acknowledged(String route, String channel, Duration sinceFirstMail) {
    acknowledgements.labelValues(route, channel).inc();
    timeToAck.labelValues(route).observe(sinceFirstMail.toMillis() / 1000.0);
  }

  @Override
  public void alertFlapping(String route) {
    flapping.labelValues(route).inc();
  }

  @Override
  public void stateDropped(String store) {
    stateDropped.labelValues(store).inc();
  }

  @Override
  public void didNotFit(String what) {
    didNotFit.labelValues(what).inc();
  }

  @Override
  public void eventGrouped() {
    grouped.inc();
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

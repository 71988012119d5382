package io.alertbridge.metrics;

import io.alertbridge.delivery.DeliveryObserver;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.kafka.ConsumerStatus;
import io.alertbridge.smtp.AttemptListener;
import io.alertbridge.smtp.pool.ServerStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * alertbridge's Prometheus metrics, in a registry of its own (so tests and several daemons in one
 * JVM do not share counters). Names follow Prometheus conventions: {@code _total} for counters,
 * base units ({@code _seconds}), a {@code alertbridge_} prefix. Kafka's client metrics stay in
 * Kafka's JMX.
 */
public final class Metrics implements AttemptListener, DeliveryObserver {
  /** 1 ms to 10 min: SMTP replies on a LAN to a backlog after an outage. */
  static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter events;
  final Counter mails;
  final Counter smtpAttempts;
  final Histogram smtpTransaction;
  final Histogram deliveryLatency;
  final Counter deadLetterWrites;
  final Counter auditWriteFailures;
  final Gauge lastSuccessfulMail;
  final Counter policySuppressed = policySuppressed(registry);

  // Alertmanager's names and meanings, so dashboards and rules written for it read these too.
  private final Gauge reloadSuccessful =
      Gauge.builder()
          .name("alertbridge_config_last_reload_successful")
          .help("Whether the last configuration reload succeeded (1 from start until one fails)")
          .register(registry);
  private final Gauge reloadSuccessTime =
      Gauge.builder()
          .name("alertbridge_config_last_reload_success_timestamp_seconds")
          .help("When the configuration was last loaded successfully, at start or by a reload")
          .unit(Unit.SECONDS)
          .register(registry);

  public Metrics(String version) {
    reloadSuccessful.set(1);
    events =
        Counter.builder()
            .name("alertbridge_events_total")
            .help(
                "Events by outcome: mailed, invalid, dead_lettered, rejected, suppressed (with reason)")
            .labelNames("topic", "outcome", "reason")
            .register(registry);
    mails =
        Counter.builder()
            .name("alertbridge_mails_total")
            .help("Mail transactions by outcome: sent, rejected, uncertain")
            .labelNames("route", "server", "outcome")
            .register(registry);
    smtpAttempts =
        Counter.builder()
            .name("alertbridge_smtp_attempts_total")
            .help(
                "SMTP transaction attempts by server and reply class (2xx, 4xx, 5xx, no_reply, io_error)")
            .labelNames("server", "result")
            .register(registry);
    smtpTransaction =
        Histogram.builder()
            .name("alertbridge_smtp_transaction_seconds")
            .help("Duration of one SMTP transaction attempt, MAIL FROM to the reply after DATA")
            .unit(Unit.SECONDS)
            .labelNames("server")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    deliveryLatency =
        Histogram.builder()
            .name("alertbridge_delivery_latency_seconds")
            .help(
                "To the server's 2xx for a mail: from the Kafka record's timestamp (from=record)"
                    + " or from the oldest carried event's own time (from=event)")
            .unit(Unit.SECONDS)
            .labelNames("from")
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    deadLetterWrites =
        Counter.builder()
            .name("alertbridge_dead_letter_writes_total")
            .help("Records written to the dead-letter topic, by result (written, failed)")
            .labelNames("result")
            .register(registry);
    auditWriteFailures =
        Counter.builder()
            .name("alertbridge_audit_write_failures_total")
            .help("Audit lines that could not be written (they went to the error log)")
            .register(registry);
    lastSuccessfulMail =
        Gauge.builder()
            .name("alertbridge_last_successful_mail_timestamp_seconds")
            .help("When a server last accepted a mail (Unix time)")
            .unit(Unit.SECONDS)
            .register(registry);
    Info build =
        Info.builder()
            .name("alertbridge_build_info")
            .help("The running alertbridge version")
            .labelNames("version")
            .register(registry);
    build.addLabelValues(version);
    JvmMetrics.builder().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Per-partition lag and work in flight, read from the consumer's last poll at scrape time. */
  public void watchConsumer(Supplier<ConsumerStatus> status) {
    GaugeWithCallback.builder()
        .name("alertbridge_consumer_lag_records")
        .help("Records between the delivery consumer's position and the end of the partition")
        .labelNames("topic", "partition")
        .callback(
            cb ->
                status
                    .get()
                    .partitions()
                    .forEach(
                        p -> {
                          if (p.lag() >= 0) {
                            cb.call(p.lag(), p.topic(), Integer.toString(p.partition()));
                          }
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertbridge_uncommitted_records")
        .help("Records read and not yet committable: waiting for or in delivery")
        .labelNames("topic", "partition")
        .callback(
            cb ->
                status
                    .get()
                    .partitions()
                    .forEach(
                        p -> cb.call(p.inFlight(), p.topic(), Integer.toString(p.partition()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertbridge_partitions_paused")
        .help("Partitions paused because delivery.max-queued-per-partition records wait")
        .callback(
            cb ->
                cb.call(
                    status.get().partitions().stream()
                        .filter(ConsumerStatus.Partition::paused)
                        .count()))
        .register(registry);
  }

  /** Connections and circuit state per SMTP server, read from the pool at scrape time. */
  /**
   * The policy's open incidents held by this instance (issue 18): {@code counts} gives the
   * unacknowledged and the acknowledged, read from the stores at each scrape.
   */
  public void watchIncidents(Supplier<int[]> counts) {
    GaugeWithCallback.builder()
        .name("alertbridge_policy_open_incidents")
        .help(
            "Open incidents (groups mailed, still firing) whose groups this instance holds, by"
                + " state: unacknowledged or acknowledged; sum over instances")
        .labelNames("state")
        .callback(
            cb -> {
              int[] c = counts.get();
              cb.call(c[0], "unacknowledged");
              cb.call(c[1], "acknowledged");
            })
        .register(registry);
  }

  /** Counts the inbound mailbox's messages by disposition, and its failures (issue 18). */
  public io.alertbridge.imap.MailboxListener inboundListener() {
    return InboundMetrics.listener(registry);
  }

  public void watchServers(Supplier<List<ServerStatus>> servers) {
    rateLimits(registry, servers);
    GaugeWithCallback.builder()
        .name("alertbridge_smtp_connections")
        .help("SMTP connections per server: busy (in a transaction) and max")
        .labelNames("server", "state")
        .callback(
            cb ->
                servers
                    .get()
                    .forEach(
                        s -> {
                          cb.call(s.busy(), s.name(), "busy");
                          cb.call(s.connections(), s.name(), "max");
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertbridge_smtp_circuit_state")
        .help("1 for the circuit breaker state each server is in (closed, open, half_open)")
        .labelNames("server", "state")
        .callback(
            cb ->
                servers
                    .get()
                    .forEach(
                        s -> {
                          for (String state : List.of("closed", "open", "half_open")) {
                            cb.call(s.circuit().equals(state) ? 1 : 0, s.name(), state);
                          }
                        }))
        .register(registry);
  }

  /** Registered with {@link #watchServers}: rate-limit waits per server. */
  private static void rateLimits(
      PrometheusRegistry registry, Supplier<List<ServerStatus>> servers) {
    CounterWithCallback.builder()
        .name("alertbridge_smtp_rate_limited_total")
        .help(
            "Times a mail found a server's rate budget spent, and waited or went to another server")
        .labelNames("server")
        .callback(cb -> servers.get().forEach(s -> cb.call(s.rateLimited(), s.name())))
        .register(registry);
  }

  @Override
  public void attempt(String server, String result, long nanos) {
    smtpAttempts.labelValues(server, result).inc();
    smtpTransaction.labelValues(server).observe(nanos / 1e9);
  }

  @Override
  public void accepted(InboundRecord record, Instant eventTime, Instant acceptedAt) {
    if (record.timestamp() > 0) {
      deliveryLatency
          .labelValues("record")
          .observe(Math.max(0, acceptedAt.toEpochMilli() - record.timestamp()) / 1e3);
    }
    if (eventTime != null) {
      deliveryLatency.labelValues("event").observe(ageSeconds(eventTime, acceptedAt));
    }
  }

  /**
   * Seconds from an event's own time to now. A producer's clock may be ahead: a negative age counts
   * as none. Computed on {@link Duration}, not on epoch milliseconds, which an event time far in
   * the past or future overflows (issue 15: the overflow came after the server's 250).
   */
  static double ageSeconds(Instant eventTime, Instant now) {
    Duration age = Duration.between(eventTime, now);
    return age.isNegative() ? 0 : age.getSeconds() + age.getNano() / 1e9;
  }

  /**
   * Creates every series the shipped rules and dashboard read, at 0: a series that appears only
   * with its first increment makes {@code increase()} miss that increment and a panel say "no data"
   * where the truth is 0, and a rule such as "no mail accepted" cannot fire for a daemon that never
   * sent one.
   */
  public void preset(List<String> topics, List<String> routes, List<String> servers) {
    for (String result : List.of("written", "failed")) {
      deadLetterWrites.labelValues(result);
    }
    for (String topic : topics) {
      for (String outcome : List.of("mailed", "invalid", "dead_lettered", "rejected")) {
        events.labelValues(topic, outcome, "");
      }
    }
    for (String route : routes) {
      for (String server : servers) {
        for (String outcome : List.of("sent", "rejected", "uncertain")) {
          mails.labelValues(route, server, outcome);
        }
      }
    }
  }

  /** Why the policy stage audits an event without a mail of its own (PolicyAudit's reasons). */
  static final List<String> SUPPRESSION_REASONS =
      List.of(
          "stale",
          "superseded",
          "duplicate",
          "muted",
          "grouped",
          "resolved",
          "repeat",
          "timed-out",
          "route-removed",
          "regrouped",
          "silenced",
          "inhibited",
          "flapping");

  private static Counter policySuppressed(PrometheusRegistry registry) {
    return Counter.builder()
        .name("alertbridge_policy_suppressed_events_total")
        .help(
            "Events the policy stage audited without a mail of their own, by reason (stale,"
                + " superseded, duplicate, muted, grouped, resolved, repeat, timed-out,"
                + " route-removed, regrouped, silenced, inhibited, flapping)")
        .labelNames("reason")
        .register(registry);
  }

  /**
   * The policy stage's state, stream-thread replacements and input lag, read at scrape time, and
   * its suppression reasons at 0.
   *
   * @param state one of {@code states}
   * @param lag records behind per input topic
   */
  public void watchPolicy(
      List<String> states,
      Supplier<String> state,
      LongSupplier threadReplacements,
      Supplier<Map<String, Long>> lag) {
    SUPPRESSION_REASONS.forEach(policySuppressed::labelValues);
    GaugeWithCallback.builder()
        .name("alertbridge_policy_state")
        .help("1 for the Kafka Streams state the policy stage is in, 0 for the others")
        .labelNames("state")
        .callback(
            cb -> {
              String now = state.get();
              states.forEach(s -> cb.call(s.equals(now) ? 1 : 0, s));
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("alertbridge_policy_thread_replacements")
        .help("Stream threads of the policy stage that died and were replaced")
        .callback(cb -> cb.call(threadReplacements.getAsLong()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertbridge_policy_lag_records")
        .help(
            "Records the policy stage has not yet committed, per input topic (sampled every 10 s)")
        .labelNames("topic")
        .callback(cb -> lag.get().forEach((topic, n) -> cb.call(n, topic)))
        .register(registry);
  }

  /** A dead-letter write ended. */
  public void deadLetterWrite(boolean written) {
    deadLetterWrites.labelValues(written ? "written" : "failed").inc();
  }

  /**
   * A configuration was loaded (at start) or a reload ended; a failed one leaves the time of the
   * last good one.
   */
  public void configLoaded(boolean successful, java.time.Instant at) {
    reloadSuccessful.set(successful ? 1 : 0);
    if (successful) {
      reloadSuccessTime.set(at.toEpochMilli() / 1000.0);
    }
  }
}

package io.alertbridge.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The incidents this instance's policy tasks hold (issue 18), read from their group heads for the
 * status page and the open-incidents gauge: each instance shows its own share, as its tasks own the
 * groups; Prometheus sums the gauges.
 */
public final class OpenIncidents {
  /**
   * One incident: a group with a mail sent and alerts still firing.
   *
   * @param ackBy null when nobody acknowledged it (or the acknowledgement lapsed)
   */
  public record Incident(
      String route,
      String group,
      Map<String, String> labels,
      Instant since,
      int firing,
      Instant firstMail,
      String ackBy,
      Instant ackAt,
      String ackChannel,
      Instant ackUntil,
      int escalated,
      int steps) {}

  /** What a look found: the newest {@code max} incidents and how many there are in all. */
  public record Found(List<Incident> incidents, int total, int acknowledged) {}

  private OpenIncidents() {}

  /**
   * The open incidents of the local tasks; empty while Kafka Streams is not running or rebalancing
   * (the stores are then not queryable).
   */
  static Found of(KafkaStreams streams, Map<String, RoutePolicy> routes, long now, int max) {
    List<Incident> all = new ArrayList<>();
    int[] acked = {0};
    try {
      ReadOnlyKeyValueStore<String, byte[]> heads =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  PolicyTopology.HEADS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
      try (KeyValueIterator<String, byte[]> it = heads.all()) {
        while (it.hasNext()) {
          GroupHead g = read(it.next().value);
          if (g == null || g.followup() == null || !g.hasFiring()) {
            continue;
          }
          Followup f = g.followup();
          boolean holds = f.acknowledgedAt(now);
          acked[0] += holds ? 1 : 0;
          RoutePolicy route = routes.get(g.route());
          all.add(
              new Incident(
                  g.route(),
                  g.key(),
                  g.labels(),
                  Instant.ofEpochMilli(g.incident()),
                  g.firing(),
                  Instant.ofEpochMilli(f.firstSent()),
                  holds ? f.ack().by() : null,
                  holds ? Instant.ofEpochMilli(f.ack().at()) : null,
                  holds ? f.ack().channel() : null,
                  holds && f.ack().until() > 0 ? Instant.ofEpochMilli(f.ack().until()) : null,
                  f.escalated(),
                  route == null ? 0 : route.followups().escalate().size()));
        }
      }
    } catch (InvalidStateStoreException | IllegalStateException notNow) {
      return new Found(List.of(), 0, 0);
    }
    int total = all.size();
    all.sort(Comparator.comparing(Incident::since).reversed());
    return new Found(List.copyOf(all.subList(0, Math.min(max, total))), total, acked[0]);
  }

  private static GroupHead read(byte[] value) {
    try {
      return value == null ? null : PolicyJson.readState(value, GroupHead.class);
    } catch (RuntimeException unreadable) {
      // The grouping step reports and drops such a value; a view just skips it.
      return null;
    }
  }
}

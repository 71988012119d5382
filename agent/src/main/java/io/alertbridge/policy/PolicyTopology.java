package io.alertbridge.policy;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.config.Rate;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.route.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage as a Kafka Streams topology:
 *
 * <pre>
 * alert topics ─▶ route ─┬─▶ dead-letter topic
 *                        └─▶ STATE-events (keyed by partition key) ─▶ policy ─▶ STATE-notifications
 *                                                                       │
 *                                      groups, recipients, backlogs, closed (changelogged)
 * </pre>
 *
 * where STATE is {@code policy.state-topic}, also the Kafka Streams application id, so the
 * changelog topics are {@code STATE-groups-changelog} and so on.
 */
public final class PolicyTopology {
  private static final Logger log = LoggerFactory.getLogger(PolicyTopology.class);

  static final String TO_GROUPS = "to-groups";
  static final String DEAD_LETTERS = "dead-letters";
  static final String GROUPS_STORE = "groups";
  static final String RECIPIENTS_STORE = "recipients";
  static final String BACKLOGS_STORE = "backlogs";
  static final String CLOSED_STORE = "closed";

  /** Every state store; each has a changelog topic {@code STATE-<store>-changelog}. */
  static final List<String> STORES =
      List.of(GROUPS_STORE, RECIPIENTS_STORE, BACKLOGS_STORE, CLOSED_STORE);

  /** What the processors need, built once from the configuration. */
  public record Wiring(
      EventDecoder decoder,
      Router router,
      Map<String, RoutePolicy> routes,
      AuditLog auditLog,
      Clock clock,
      List<String> alertTopics,
      String deadLetterTopic,
      String stateTopic,
      Duration maxEventAge,
      Duration dedupWindow,
      Rate maxMailsPerRecipient,
      String messageIdDomain) {
    public Wiring {
      routes = Map.copyOf(routes);
      alertTopics = List.copyOf(alertTopics);
    }

    /** Events on their way from routing to grouping, keyed by partition key. */
    public String eventsTopic() {
      return stateTopic + "-events";
    }

    /** One record per mail, for the delivery stage. */
    public String notificationsTopic() {
      return stateTopic + "-notifications";
    }

    /**
     * Appends to the audit log; a failing audit file must not stop the policy (it would redo the
     * work and mail again), so the line goes to the error log instead.
     */
    void audit(AuditRecord r) {
      try {
        auditLog.append(r);
      } catch (RuntimeException e) {
        log.error(
            "cannot write audit record, logging it here instead: {} ({})",
            r.toJson(),
            e.toString());
      }
    }

    /** A Message-ID determined by its parts, so a replayed notification is the same mail. */
    String messageId(String... parts) {
      StringBuilder sb = new StringBuilder();
      for (String p : parts) {
        sb.append(p.length()).append(':').append(p).append('\u0000');
      }
      return "<" + Fingerprints.hash(sb.toString(), 16) + ".alertbridge@" + messageIdDomain + ">";
    }
  }

  private PolicyTopology() {}

  public static Topology build(Wiring w) {
    Topology t = new Topology();
    t.addSource(
        "alerts",
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        w.alertTopics().toArray(new String[0]));
    t.addProcessor("route", () -> new RouteProcessor(w), "alerts");
    t.addSink(
        DEAD_LETTERS,
        w.deadLetterTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        "route");
    t.addSink(
        TO_GROUPS, w.eventsTopic(), new StringSerializer(), new ByteArraySerializer(), "route");
    t.addSource("events", new StringDeserializer(), new ByteArrayDeserializer(), w.eventsTopic());
    t.addProcessor("policy", () -> new PolicyProcessor(w), "events");
    for (String store : STORES) {
      // The cache folds a group's many updates between two commits into one changelog record.
      t.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
              .withCachingEnabled(),
          "policy");
    }
    t.addSink(
        "notifications",
        w.notificationsTopic(),
        new StringSerializer(),
        new ByteArraySerializer(),
        "policy");
    return t;
  }
}

package io.alertbridge.policy;

import io.alertbridge.config.Rate;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.route.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.Stores;

/**
 * The policy stage as a Kafka Streams topology:
 *
 * <pre>
 * alert topics ─▶ route ─┬─▶ dead-letter topic
 *                        ├─▶ STATE-notifications (audit lines)
 *                        └─▶ STATE-events (keyed by partition key) ─▶ policy ─┬─▶ STATE-notifications
 *                                                                             └─▶ dead-letter topic
 *                                                    │
 *                   groups, recipients, backlogs, closed (changelogged)
 * </pre>
 *
 * <p>Each step is wrapped in a {@link SettledProcessor} (a record it cannot handle is dead-lettered
 * and audited) and has one child, a {@link PolicyOutput} that sends mails, audit lines and dead
 * letters to their topics by a header.
 *
 * <p>where STATE is {@code policy.state-topic}, also the Kafka Streams application id, so the
 * changelog topics are {@code STATE-groups-changelog} and so on.
 */
public final class PolicyTopology {
  static final String TO_GROUPS = "to-groups";
  static final String GROUPS_STORE = "groups";
  static final String RECIPIENTS_STORE = "recipients";
  static final String BACKLOGS_STORE = "backlogs";
  static final String CLOSED_STORE = "closed";

  static final String ROUTE_OUT = "route-out";
  static final String ROUTE_AUDIT = "route-audit";
  static final String ROUTE_DEAD_LETTERS = "route-dead-letters";
  static final String POLICY_OUT = "policy-out";
  static final String NOTIFICATIONS = "notifications";
  static final String POLICY_DEAD_LETTERS = "policy-dead-letters";

  /** Every state store; each has a changelog topic {@code STATE-<store>-changelog}. */
  static final List<String> STORES =
      List.of(GROUPS_STORE, RECIPIENTS_STORE, BACKLOGS_STORE, CLOSED_STORE);

  /**
   * What the processors need, built once from the configuration.
   *
   * @param crashOnEventId test-only (from {@code ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID}): the route
   *     step dies with an {@link Error} on the event of this id; null in production
   */
  public record Wiring(
      EventDecoder decoder,
      Router router,
      Map<String, RoutePolicy> routes,
      Clock clock,
      List<String> alertTopics,
      String deadLetterTopic,
      String stateTopic,
      Duration maxEventAge,
      Duration dedupWindow,
      Rate maxMailsPerRecipient,
      String messageIdDomain,
      Duration maxClockSkew,
      PolicyObserver observer,
      String crashOnEventId) {
    public Wiring {
      routes = Map.copyOf(routes);
      alertTopics = List.copyOf(alertTopics);
      observer = observer == null ? PolicyObserver.NONE : observer;
    }

    /** Events on their way from routing to grouping, keyed by partition key. */
    public String eventsTopic() {
      return stateTopic + "-events";
    }

    /** One record per mail, and the policy's audit lines, for the delivery stage. */
    public String notificationsTopic() {
      return notificationsTopicOf(stateTopic);
    }

    /** The crash guard's counts (compacted): which input record killed the stage, how often. */
    public String crashesTopic() {
      return stateTopic + "-crashes";
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

  /** The notification topic of the policy whose state topic is {@code stateTopic}. */
  static String notificationsTopicOf(String stateTopic) {
    return stateTopic + "-notifications";
  }

  /** The topology with a crash guard that counts in memory only (tests of the topology). */
  public static Topology build(Wiring w) {
    return build(w, new CrashGuard(CrashGuard.IN_MEMORY));
  }

  static Topology build(Wiring w, CrashGuard guard) {
    Topology t = new Topology();
    t.addSource(
        "alerts",
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        w.alertTopics().toArray(new String[0]));
    t.addProcessor(
        "route",
        () ->
            new SettledProcessor<byte[], Object, Object>(
                new RouteProcessor(w),
                (m, r) -> new SettledProcessor.Described(StageRecords.inbound(m, r), null),
                guard,
                w),
        "alerts");
    t.addProcessor(
        ROUTE_OUT, () -> new PolicyOutput(TO_GROUPS, ROUTE_AUDIT, ROUTE_DEAD_LETTERS), "route");
    t.addSink(
        ROUTE_DEAD_LETTERS,
        w.deadLetterTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        ROUTE_OUT);
    t.addSink(
        TO_GROUPS, w.eventsTopic(), new StringSerializer(), new ByteArraySerializer(), ROUTE_OUT);
    t.addSink(
        ROUTE_AUDIT,
        w.notificationsTopic(),
        new StringSerializer(),
        new ByteArraySerializer(),
        ROUTE_OUT);
    t.addSource("events", new StringDeserializer(), new ByteArrayDeserializer(), w.eventsTopic());
    t.addProcessor(
        "policy",
        () ->
            new SettledProcessor<String, String, byte[]>(
                new PolicyProcessor(w), PolicyTopology::routedOrigin, guard, w),
        "events");
    for (String store : STORES) {
      // The cache folds a group's many updates between two commits into one changelog record.
      t.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
              .withCachingEnabled(),
          "policy");
    }
    t.addProcessor(
        POLICY_OUT,
        () -> new PolicyOutput(NOTIFICATIONS, NOTIFICATIONS, POLICY_DEAD_LETTERS),
        "policy");
    t.addSink(
        POLICY_DEAD_LETTERS,
        w.deadLetterTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        POLICY_OUT);
    t.addSink(
        NOTIFICATIONS,
        w.notificationsTopic(),
        new StringSerializer(),
        new ByteArraySerializer(),
        POLICY_OUT);
    return t;
  }

  /**
   * A routed event's dead-letter copy names the alert it came from (topic, partition, offset) when
   * it can be read, else its place on the events topic.
   */
  private static SettledProcessor.Described routedOrigin(
      RecordMetadata m, Record<String, byte[]> r) {
    byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
    try {
      RoutedEvent e = PolicyJson.read(r.value(), RoutedEvent.class);
      return new SettledProcessor.Described(
          StageRecords.inbound(e.topic(), e.partition(), e.offset(), key, r.value(), r),
          e.event().id());
    } catch (IOException | RuntimeException unreadable) {
      return new SettledProcessor.Described(
          StageRecords.inbound(m.topic(), m.partition(), m.offset(), key, r.value(), r), null);
    }
  }
}

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
 * The policy stage as a Kafka Streams topology, three steps joined by topics:
 *
 * <pre>
 * alert topics ─▶ route ─┬─▶ dead-letter topic
 *                        ├─▶ STATE-notifications (audit lines)
 *                        └─▶ STATE-events (keyed by group) ─▶ group ─┬─▶ STATE-mails (keyed by
 *                                                    │               │    recipient or route)
 *                               heads, alerts, closed-alerts          └─▶ STATE-notifications, DLQ
 * STATE-mails ─▶ mail ─┬─▶ STATE-notifications (mails and audit lines)
 *          │           └─▶ dead-letter topic
 *   windows, folded, backlog-counts
 * </pre>
 *
 * <p>Events are keyed by route and group, so groups spread over every partition whatever their
 * recipients, and a configuration edit cannot move a group to another task; the storm guard counts
 * per recipient in the mail step, after a repartition of the (few) group mails (issue 16).
 *
 * <p>Each step is wrapped in a {@link SettledProcessor} (a record it cannot handle is dead-lettered
 * and audited) and has one child, a {@link PolicyOutput} that sends mails, audit lines and dead
 * letters to their topics by a header.
 *
 * <p>where STATE is {@code policy.state-topic}, also the Kafka Streams application id, so the
 * changelog topics are {@code STATE-heads-changelog} and so on.
 */
public final class PolicyTopology {
  static final String TO_GROUPS = "to-groups";
  static final String HEADS_STORE = "heads";
  static final String ALERTS_STORE = "alerts";
  static final String CLOSED_STORE = "closed-alerts";
  static final String WINDOWS_STORE = "windows";
  static final String FOLDED_STORE = "folded";
  static final String BACKLOGS_STORE = "backlog-counts";

  /** The stores of the format before issue 16, read once to migrate them ({@code LegacyState}). */
  static final List<String> LEGACY_STORES = List.of("groups", "recipients", "backlogs", "closed");

  static final String ROUTE_OUT = "route-out";
  static final String ROUTE_AUDIT = "route-audit";
  static final String ROUTE_DEAD_LETTERS = "route-dead-letters";
  static final String GROUP_OUT = "group-out";
  static final String TO_MAILS = "to-mails";
  static final String REKEYED = "rekeyed";
  static final String WATCHED = "watched";
  static final String GROUP_AUDIT = "group-audit";
  static final String GROUP_DEAD_LETTERS = "group-dead-letters";
  static final String MAIL_OUT = "mail-out";
  static final String NOTIFICATIONS = "notifications";
  static final String MAIL_DEAD_LETTERS = "mail-dead-letters";

  static final List<String> GROUP_STORES = List.of(HEADS_STORE, ALERTS_STORE, CLOSED_STORE);
  static final List<String> MAIL_STORES = List.of(WINDOWS_STORE, FOLDED_STORE, BACKLOGS_STORE);

  /** Every state store; each has a changelog topic {@code STATE-<store>-changelog}. */
  public static final List<String> STORES =
      List.of(HEADS_STORE, ALERTS_STORE, CLOSED_STORE, WINDOWS_STORE, FOLDED_STORE, BACKLOGS_STORE);

  /**
   * What the processors need, built once from the configuration.
   *
   * @param crashOnEventId test-only (from {@code ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID}): the route
   *     step dies with an {@link Error} on the event of this id; null in production
   */
  public record Wiring(
      EventDecoder decoder,
      LiveRules rules,
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
      PolicyOperators operators,
      String crashOnEventId) {
    public Wiring {
      alertTopics = List.copyOf(alertTopics);
      observer = observer == null ? PolicyObserver.NONE : observer;
      operators = operators == null ? PolicyOperators.none() : operators;
    }

    public Router router() {
      return rules.get().router();
    }

    /** Each route's policy, by name, under the configuration in force now. */
    public Map<String, RoutePolicy> routes() {
      return rules.get().routes();
    }

    /** Events on their way from routing to grouping, keyed by group. */
    public String eventsTopic() {
      return stateTopic + "-events";
    }

    /** Group mails (keyed by recipient) and stale events (by route) for the mail step. */
    public String mailsTopic() {
      return stateTopic + "-mails";
    }

    /** One record per mail, and the policy's audit lines, for the delivery stage. */
    public String notificationsTopic() {
      return notificationsTopicOf(stateTopic);
    }

    /** Firing alerts that inhibit others or end silences (compacted; {@link WatchedAlerts}). */
    public String watchedTopic() {
      return stateTopic + "-watched";
    }

    /**
     * Replies, link clicks and bounces (issue 18), written to the partition of the group they
     * answer: as many partitions as the events topic, read by the group step.
     */
    public String responsesTopic() {
      return stateTopic + "-responses";
    }

    /** Operators' silences (compacted, key: silence id), read whole by every instance. */
    public String silencesTopic() {
      return stateTopic + "-silences";
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
    // Partition p of the responses topic goes to the task of partition p of the events topic: the
    // task that holds the groups whose tokens name p.
    t.addSource(
        "responses", new StringDeserializer(), new ByteArrayDeserializer(), w.responsesTopic());
    t.addProcessor(
        "group",
        () ->
            new SettledProcessor<String, String, byte[]>(
                new GroupProcessor(w), PolicyTopology::routedOrigin, guard, w),
        "events",
        "responses");
    addStores(t, GROUP_STORES, "group");
    t.addProcessor(
        GROUP_OUT,
        () -> new PolicyOutput(TO_MAILS, GROUP_AUDIT, GROUP_DEAD_LETTERS, REKEYED, WATCHED),
        "group");
    t.addSink(
        GROUP_DEAD_LETTERS,
        w.deadLetterTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        GROUP_OUT);
    t.addSink(
        TO_MAILS, w.mailsTopic(), new StringSerializer(), new ByteArraySerializer(), GROUP_OUT);
    t.addSink(
        REKEYED, w.eventsTopic(), new StringSerializer(), new ByteArraySerializer(), GROUP_OUT);
    t.addSink(
        WATCHED, w.watchedTopic(), new StringSerializer(), new ByteArraySerializer(), GROUP_OUT);
    t.addSink(
        GROUP_AUDIT,
        w.notificationsTopic(),
        new StringSerializer(),
        new ByteArraySerializer(),
        GROUP_OUT);
    t.addSource("mails", new StringDeserializer(), new ByteArrayDeserializer(), w.mailsTopic());
    t.addProcessor(
        "mail",
        () ->
            new SettledProcessor<String, String, byte[]>(
                new MailProcessor(w), PolicyTopology::mailOrigin, guard, w),
        "mails");
    addStores(t, MAIL_STORES, "mail");
    t.addProcessor(
        MAIL_OUT, () -> new PolicyOutput(NOTIFICATIONS, NOTIFICATIONS, MAIL_DEAD_LETTERS), "mail");
    t.addSink(
        MAIL_DEAD_LETTERS,
        w.deadLetterTopic(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        MAIL_OUT);
    t.addSink(
        NOTIFICATIONS,
        w.notificationsTopic(),
        new StringSerializer(),
        new ByteArraySerializer(),
        MAIL_OUT);
    return t;
  }

  private static void addStores(Topology t, List<String> stores, String processor) {
    for (String store : stores) {
      var builder =
          Stores.keyValueStoreBuilder(
              Stores.inMemoryKeyValueStore(store), Serdes.String(), Serdes.ByteArray());
      // The cache folds a key's many updates between two commits into one changelog record: a
      // group's head takes one per reading. Not for the alerts: a group's alerts are scanned while
      // they are written, and a cache that evicts (flushes) an entry written since the last commit
      // in the middle of a scan hides it from that scan (review of issue 16, C1); an alert is
      // rarely written twice within one commit anyway.
      t.addStateStore(
          ALERTS_STORE.equals(store) ? builder.withCachingDisabled() : builder.withCachingEnabled(),
          processor);
    }
  }

  /** A mail step record's dead-letter copy names its place on the mails topic. */
  private static SettledProcessor.Described mailOrigin(RecordMetadata m, Record<String, byte[]> r) {
    byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
    return new SettledProcessor.Described(
        StageRecords.inbound(m.topic(), m.partition(), m.offset(), key, r.value(), r), null);
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

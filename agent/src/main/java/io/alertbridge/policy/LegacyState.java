package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time upgrade of the state a release before issue 16 left ({@link
 * PolicyTopology#LEGACY_STORES}): the alerts of its open groups are migrated ({@link ImportedAlert}
 * records on {@code STATE-events}, taken in by the task that owns each group), so open incidents
 * keep their threads and their resolutions are mailed; what was pending elsewhere (a digest not
 * sent yet, a backlog summary not sent yet) is dropped and every alert of it audited as {@code
 * suppressed}, reason {@code upgraded}. Then the old changelog topics are deleted. Runs before
 * Kafka Streams starts; does nothing once the topics are gone.
 *
 * <p>No marker records that the audit was done: the only compacted topic of the stage is the crash
 * guard's, whose reader takes every key for an input partition (an extra key is logged as an
 * unreadable crash record on every start). So the topics' deletion is the marker, and the reset
 * asks first whether the broker would allow it: a principal without {@code DELETE} on them is a
 * configuration error (exit 2) before any line is written, never an audit repeated on each start.
 */
final class LegacyState {
  private static final Logger log = LoggerFactory.getLogger(LegacyState.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, Object> common;
  private final Producer<byte[], byte[]> producer;
  private final String stateTopic;
  private final String notificationsTopic;
  private final String eventsTopic;

  /**
   * Set once the lines are written, so a retry after a failed deletion does not write them again.
   */
  private LegacyTally audited;

  private boolean done;

  LegacyState(
      Map<String, Object> common,
      Producer<byte[], byte[]> producer,
      String stateTopic,
      String notificationsTopic,
      String eventsTopic) {
    this.common = common;
    this.producer = producer;
    this.stateTopic = stateTopic;
    this.notificationsTopic = notificationsTopic;
    this.eventsTopic = eventsTopic;
  }

  /** The changelog topic of a legacy store. */
  String changelog(String store) {
    return stateTopic + "-" + store + "-changelog";
  }

  /**
   * Audits and deletes the legacy stores, if any is left.
   *
   * @throws IllegalStateException when the broker cannot be asked or refuses; its cause says why
   *     (an {@link AuthorizationException} for a missing ACL)
   */
  void reset(Instant now) throws InterruptedException {
    if (done) {
      return;
    }
    try (Admin admin = Admin.create(common)) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      List<String> legacy =
          PolicyTopology.LEGACY_STORES.stream()
              .map(this::changelog)
              .filter(existing::contains)
              .toList();
      if (legacy.isEmpty()) {
        done = true;
        return;
      }
      if (audited == null) {
        mayDelete(admin, legacy);
        noOldInstances(admin);
        LegacyTally dropped = new LegacyTally(now);
        for (String store : PolicyTopology.LEGACY_STORES) {
          // The closed alerts were mailed: only their dedup memory goes, unread.
          if (!"closed".equals(store) && legacy.contains(changelog(store))) {
            read(changelog(store)).forEach((key, value) -> dropped.add(store, key, value));
          }
        }
        write(dropped.lines(), dropped.imports());
        audited = dropped;
      }
      delete(admin, legacy);
      done = true;
      log.info("{}", audited.summary());
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot reset the policy's state of the previous format: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reset the policy's state of the previous format: " + e, e);
    }
  }

  /**
   * Waits (the caller retries) while instances of the previous release run: they still write the
   * old stores, which would be deleted under them, and the two topologies cannot share one group.
   */
  private void noOldInstances(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    int members;
    try {
      members =
          admin
              .describeConsumerGroups(List.of(stateTopic))
              .describedGroups()
              .get(stateTopic)
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .members()
              .size();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
        throw e;
      }
      members = 0; // a group nobody joined (or one the broker has forgotten): no old instance
    }
    if (members > 0) {
      throw new IllegalStateException(
          "the policy's group "
              + stateTopic
              + " still has "
              + members
              + " member(s), instances of the release before issue 16: stop every instance before"
              + " upgrading");
    }
  }

  /**
   * Refuses before anything is audited when the broker says this principal may not delete the
   * topics; a broker that does not say (no authorised operations in its answer) is tried.
   */
  private void mayDelete(Admin admin, List<String> legacy)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<String, TopicDescription> described =
        admin
            .describeTopics(legacy, new DescribeTopicsOptions().includeAuthorizedOperations(true))
            .allTopicNames()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    List<String> refused =
        described.values().stream()
            .filter(d -> d.authorizedOperations() != null)
            .filter(
                d ->
                    !d.authorizedOperations().contains(AclOperation.DELETE)
                        && !d.authorizedOperations().contains(AclOperation.ALL))
            .map(TopicDescription::name)
            .sorted()
            .toList();
    if (!refused.isEmpty()) {
      throw refused(refused, new TopicAuthorizationException(Set.copyOf(refused)), false);
    }
  }

  /**
   * The refusal, as an error whose cause is the broker's: the daemon logs it at ERROR ("stopping:
   * …") and exits 2 (PolicyRun), so it is not logged here a second time.
   */
  private IllegalStateException refused(
      List<String> topics, AuthorizationException cause, boolean audited) {
    return new IllegalStateException(
        "the policy state of the previous release is in "
            + topics
            + ", which this daemon may not delete: allow its principal DELETE on them (kafka-acls"
            + " --add --allow-principal User:<alertbridge> --operation Delete --topic "
            + stateTopic
            + "- --resource-pattern-type prefixed), or stop it and delete them by hand"
            + " (kafka-topics --delete --topic <each>); "
            + (audited
                ? "their alerts are audited `upgraded` already"
                : "nothing was audited or dropped yet"),
        cause);
  }

  /** The live values of a changelog: read to its end, the last value per key, deletes removed. */
  private Map<String, byte[]> read(String topic) {
    Map<String, Object> config = new HashMap<>(common);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The stores were written in Kafka Streams' transactions: an aborted write never was state.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "alertbridge-legacy-state");
    Map<String, byte[]> live = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic, TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, TIMEOUT);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (partitions.stream().anyMatch(tp -> c.position(tp, TIMEOUT) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read " + topic + " to its end within 5 min");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            live.remove(key);
          } else {
            live.put(key, r.value());
          }
        }
      }
    }
    return live;
  }

  private void write(List<AuditRecord> lines, List<ImportedAlert> imports)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (ImportedAlert a : imports) {
      sent.add(producer.send(StageRecords.imported(eventsTopic, a)));
    }
    for (AuditRecord line : lines) {
      sent.add(producer.send(StageRecords.audit(notificationsTopic, line)));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private void delete(Admin admin, List<String> legacy)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      admin.deleteTopics(legacy).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException a) {
        // Asked first (mayDelete), so only an ACL removed meanwhile gets here: the lines are
        // written, and a restart with the ACL writes them again (identical but for the time).
        throw refused(legacy, a, true);
      }
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        // Gone already: a deletion of an earlier attempt that timed out here went through.
        throw e;
      }
    }
  }
}

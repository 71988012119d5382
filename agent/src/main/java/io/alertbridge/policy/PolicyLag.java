package io.alertbridge.policy;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage's input lag, sampled from the broker off the hot path: the end of each input
 * partition minus the offset the stage's group committed there. Read from the broker, not from
 * Kafka Streams' own metrics, because those vanish exactly when the stage is dead or restarting,
 * which is when the lag matters.
 */
public final class PolicyLag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyLag.class);

  /** Often enough for a rule over 10 minutes; rare enough to cost the broker nothing. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final Admin admin;
  private final String groupId;
  private final List<String> topics;
  private final ScheduledExecutorService scheduler;
  private volatile Map<String, Long> lag;

  /**
   * @param admin closed with this
   * @param groupId the stage's application id
   * @param topics its input topics: the alert topics and its events and mails topics
   * @param scheduler a thread of its own: a sample may wait for the broker up to {@link #INTERVAL}
   */
  public PolicyLag(
      Admin admin, String groupId, Collection<String> topics, ScheduledExecutorService scheduler) {
    this.admin = admin;
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
    this.scheduler = scheduler;
    // 0 until the first sample, so a dashboard shows a line from the start, not "no data".
    Map<String, Long> zero = new TreeMap<>();
    this.topics.forEach(t -> zero.put(t, 0L));
    this.lag = Map.copyOf(zero);
  }

  public void start() {
    scheduler.scheduleWithFixedDelay(this::sample, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Records behind per input topic, as last sampled. */
  public Map<String, Long> lag() {
    return lag;
  }

  private void sample() {
    try {
      lag = Map.copyOf(measure());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The broker may be away; the last sample stands and the stage's state tells the rest.
      log.debug("cannot sample the policy stage's lag: {}", e.toString());
    }
  }

  private Map<String, Long> measure() throws Exception {
    long timeout = INTERVAL.toMillis();
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    described.forEach(
        (t, d) ->
            d.partitions()
                .forEach(
                    p -> {
                      latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest());
                      earliest.put(new TopicPartition(t, p.partition()), OffsetSpec.earliest());
                    }));
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(timeout, TimeUnit.MILLISECONDS);
    // read_committed: the stage reads only committed records; an open transaction is not lag.
    ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest, committedOnly).all().get(timeout, TimeUnit.MILLISECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
        admin.listOffsets(earliest, committedOnly).all().get(timeout, TimeUnit.MILLISECONDS);
    Map<String, Long> behind = new TreeMap<>();
    topics.forEach(t -> behind.put(t, 0L));
    ends.forEach(
        (tp, end) -> {
          OffsetAndMetadata c = committed.get(tp);
          // Never committed: the stage starts at the earliest record (auto.offset.reset).
          long from = c != null ? c.offset() : starts.get(tp).offset();
          behind.merge(tp.topic(), Math.max(0, end.offset() - from), Long::sum);
        });
    return behind;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    admin.close(Duration.ZERO);
  }
}

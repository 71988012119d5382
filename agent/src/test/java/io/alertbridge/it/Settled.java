package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets once a fault test has settled: every group of the path has committed the
 * end of every topic it reads, so nothing is left for a restart to mail again and lag reads 0.
 */
final class Settled {
  private final String bootstrap;

  /**
   * What the last check saw, group by group, for the test's output (Awaitility's thread writes).
   */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  Settled(KafkaFixture.Broker broker) {
    this.bootstrap = broker.bootstrapServers();
  }

  /**
   * Waits until every group of {@code path} has committed the end of its topics: on the direct path
   * the delivery group on the alert topic; on the policy path the policy stage's Streams group on
   * the alert topic, its events topic and its mails topic (in the order a record passes them), and
   * the delivery group on the notification topic. Committed is not yet mailed on the policy path: a
   * group due at the policy's next tick may still be on its way, so tests read the server after a
   * later mail ({@link Delivered#assertStillMails}).
   */
  void awaitSettled(DeliveryPath path, String alertTopic, String group, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertSettled(path, alertTopic, group));
    System.out.printf("%s path settled: %s%n", path, String.join("; ", seen));
  }

  private void assertSettled(DeliveryPath path, String alertTopic, String group) throws Exception {
    seen.clear();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      if (path == DeliveryPath.DIRECT) {
        assertCommittedToEnd(admin, group, alertTopic);
        return;
      }
      String streams = DeliveryPath.streamsGroup(group);
      assertCommittedToEnd(admin, streams, alertTopic);
      assertCommittedToEnd(admin, streams, streams + "-events");
      assertCommittedToEnd(admin, streams, streams + "-mails");
      assertCommittedToEnd(admin, group, path.deliveryTopic(alertTopic, group));
    }
  }

  private void assertCommittedToEnd(Admin admin, String group, String topic) throws Exception {
    Map<TopicPartition, Long> ends = ends(admin, topic);
    Map<TopicPartition, Long> committed = committed(admin, group, topic);
    seen.add(group + " on " + topic + " committed " + committed + " end " + ends);
    ends.forEach(
        (tp, end) ->
            assertThat(committed.getOrDefault(tp, 0L))
                .as("group %s on %s: committed %s, end offsets %s", group, tp, committed, ends)
                .isEqualTo(end));
  }

  private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends =
        new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  private static Map<TopicPartition, Long> committed(Admin admin, String group, String topic)
      throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> c =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      c.forEach(
          (tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
              out.put(tp, o.offset());
            }
          });
      return out;
    } catch (ExecutionException e) {
      return Map.of();
    }
  }
}

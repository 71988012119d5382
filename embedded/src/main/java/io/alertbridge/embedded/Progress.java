package io.alertbridge.embedded;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Watches a consumer group's committed offsets catch up with the end of a topic. */
public final class Progress {
  private final String bootstrap;
  private final String group;
  private final String topic;

  public Progress(String bootstrap, String group, String topic) {
    this.bootstrap = bootstrap;
    this.group = group;
    this.topic = topic;
  }

  /** Waits until the group has committed the end offset of every partition of the topic. */
  public boolean awaitCommittedToEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      while (System.nanoTime() < deadline) {
        if (caughtUp(admin)) {
          return true;
        }
        Thread.sleep(100);
      }
      return false;
    }
  }

  /** The group's committed offset per partition of the topic (absent: nothing committed). */
  public Map<TopicPartition, Long> committed(Admin admin) throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> c =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return c.entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (ExecutionException e) {
      return Map.of();
    }
  }

  private boolean caughtUp(Admin admin) throws InterruptedException {
    try {
      var partitions =
          admin
              .describeTopics(java.util.List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(
          p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      var ends = admin.listOffsets(request).all().get();
      Map<TopicPartition, Long> committed = committed(admin);
      for (var e : ends.entrySet()) {
        long end = e.getValue().offset();
        if (end > 0 && committed.getOrDefault(e.getKey(), 0L) < end) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }
}

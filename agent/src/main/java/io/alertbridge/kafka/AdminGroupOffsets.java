package io.alertbridge.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** {@link GroupOffsets} over Kafka's {@code Admin}, which it owns and closes. */
final class AdminGroupOffsets implements GroupOffsets {
  private final Admin admin;
  private final Duration timeout;

  AdminGroupOffsets(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  @Override
  public Map<TopicPartition, Long> committed(String group, List<String> topics) {
    Map<TopicPartition, OffsetAndMetadata> all;
    try {
      all = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    } catch (GroupAuthorizationException e) {
      throw new ForbiddenException("may not read group " + group + "'s offsets: " + e, e);
    }
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    all.forEach(
        (tp, o) -> {
          if (o != null && topics.contains(tp.topic())) {
            offsets.put(tp, o.offset());
          }
        });
    return offsets;
  }

  @Override
  public boolean alter(String group, Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> to = new LinkedHashMap<>();
    offsets.forEach((tp, o) -> to.put(tp, new OffsetAndMetadata(o)));
    try {
      get(admin.alterConsumerGroupOffsets(group, to).all());
      return true;
    } catch (GroupNotEmptyException | UnknownMemberIdException e) {
      return false;
    }
  }

  @Override
  public boolean exists(String topic) {
    try {
      get(admin.describeTopics(List.of(topic)).allTopicNames());
      return true;
    } catch (UnknownTopicOrPartitionException | TopicAuthorizationException e) {
      return false;
    }
  }

  /** Waits for an admin result; a Kafka error of the call is rethrown as itself. */
  private <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.ApiException api) {
        throw api;
      }
      throw new UnavailableException("admin call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new UnavailableException("no answer from the broker within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted", e);
    }
  }

  @Override
  public void close() {
    admin.close(timeout);
  }
}

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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one consumer group's committed offsets forward to where another group stands, so the group
 * that takes over a set of topics starts where the other one stopped: neither at {@code earliest}
 * (a flood of the topic's history) nor at offsets it committed long ago (mail again what the other
 * group already handled). Only an empty group's offsets can be changed; a group with active members
 * keeps its own.
 */
public final class OffsetSeeding {
  private static final Logger log = LoggerFactory.getLogger(OffsetSeeding.class);

  private final Admin admin;
  private final Duration timeout;

  public OffsetSeeding(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** A seeding that could not be made; the caller may try again. */
  public static final class SeedingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SeedingException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Sets {@code target}'s committed offset on each partition of {@code topics} where {@code source}
   * has committed further, or {@code target} has none.
   *
   * @return the offsets written; empty when there was nothing to move, {@code source} may not be
   *     read, or {@code target} has active members
   */
  public Map<TopicPartition, Long> catchUp(String target, String source, List<String> topics) {
    Map<TopicPartition, Long> from;
    try {
      from = committed(source, topics);
    } catch (GroupAuthorizationException e) {
      log.warn("cannot read group {}'s offsets ({}); group {} keeps its own", source, e, target);
      return Map.of();
    }
    Map<TopicPartition, Long> to = committed(target, topics);
    Map<TopicPartition, OffsetAndMetadata> ahead = new LinkedHashMap<>();
    from.forEach(
        (tp, offset) -> {
          Long own = to.get(tp);
          if (own == null || own < offset) {
            ahead.put(tp, new OffsetAndMetadata(offset));
          }
        });
    if (ahead.isEmpty()) {
      return Map.of();
    }
    try {
      get(admin.alterConsumerGroupOffsets(target, ahead).all());
    } catch (GroupNotEmptyException | UnknownMemberIdException e) {
      log.warn(
          "group {} has active members (another instance in the other mode?); its offsets on {}"
              + " stay where they are: stop every instance before switching policy.enabled",
          target,
          topics);
      return Map.of();
    }
    Map<TopicPartition, Long> seeded = new LinkedHashMap<>();
    ahead.forEach((tp, o) -> seeded.put(tp, o.offset()));
    log.info("group {} starts where group {} stopped: {}", target, source, seeded);
    return seeded;
  }

  /** Whether the topic exists and may be described; false also when it may not be. */
  public boolean exists(String topic) {
    try {
      get(admin.describeTopics(List.of(topic)).allTopicNames());
      return true;
    } catch (UnknownTopicOrPartitionException | TopicAuthorizationException e) {
      return false;
    }
  }

  private Map<TopicPartition, Long> committed(String group, List<String> topics) {
    Map<TopicPartition, OffsetAndMetadata> all =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    all.forEach(
        (tp, o) -> {
          if (o != null && topics.contains(tp.topic())) {
            offsets.put(tp, o.offset());
          }
        });
    return offsets;
  }

  /** Waits for an admin result; a Kafka error of the call is rethrown as itself. */
  private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.ApiException api) {
        throw api;
      }
      throw new SeedingException("admin call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new SeedingException("no answer from the broker within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SeedingException("interrupted", e);
    }
  }
}

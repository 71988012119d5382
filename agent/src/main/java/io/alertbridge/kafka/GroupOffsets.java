package io.alertbridge.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@link OffsetSeeding} reads and changes of consumer groups: their committed offsets and
 * whether a topic exists. {@link KafkaClientFactory#groupOffsets} makes the real one over Kafka's
 * {@code Admin}; tests hand the daemon one in memory.
 */
public interface GroupOffsets extends AutoCloseable {
  /** The group's committed offsets on the partitions of {@code topics}; none is absent. */
  Map<TopicPartition, Long> committed(String group, List<String> topics);

  /**
   * Sets the group's committed offsets.
   *
   * @return false, changing nothing, when the group has active members
   */
  boolean alter(String group, Map<TopicPartition, Long> offsets);

  /** Whether the topic exists; false also when it may not be described. */
  boolean exists(String topic);

  @Override
  void close();

  /** A failure to read or change offsets that may pass (the broker away); the caller retries. */
  final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The reader may not see the group's offsets (no Describe on it). */
  final class ForbiddenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

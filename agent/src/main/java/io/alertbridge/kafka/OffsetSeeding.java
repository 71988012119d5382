package io.alertbridge.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one consumer group's committed offsets forward to where another group stands, so the group
 * that takes over a set of topics starts where the other one stopped: neither at {@code earliest}
 * (a flood of the topic's history) nor at offsets it committed long ago (mail again what the other
 * group already handled). Never backwards. Only an empty group's offsets can be changed; a group
 * with active members keeps its own.
 */
public final class OffsetSeeding {
  private static final Logger log = LoggerFactory.getLogger(OffsetSeeding.class);

  private final GroupOffsets groups;

  public OffsetSeeding(GroupOffsets groups) {
    this.groups = groups;
  }

  /**
   * Sets {@code target}'s committed offset on each partition of {@code topics} where {@code source}
   * has committed further, or {@code target} has none.
   *
   * @return the offsets written; empty when there was nothing to move or {@code source} may not be
   *     read
   * @throws GroupBusyException when {@code target} has members
   * @throws GroupOffsets.UnavailableException when the broker did not answer
   */
  public Map<TopicPartition, Long> catchUp(String target, String source, List<String> topics) {
    Map<TopicPartition, Long> from;
    try {
      from = groups.committed(source, topics);
    } catch (GroupOffsets.ForbiddenException e) {
      log.warn("{}; group {} keeps its own offsets", e.getMessage(), target);
      return Map.of();
    }
    Map<TopicPartition, Long> to = groups.committed(target, topics);
    Map<TopicPartition, Long> ahead = new LinkedHashMap<>();
    from.forEach(
        (tp, offset) -> {
          Long own = to.get(tp);
          if (own == null || own < offset) {
            ahead.put(tp, offset);
          }
        });
    if (ahead.isEmpty()) {
      return Map.of();
    }
    if (!groups.alter(target, ahead)) {
      throw new GroupBusyException(
          "group "
              + target
              + " has members (another instance in the other mode, or one killed less than a"
              + " session timeout ago); its offsets on "
              + topics
              + " cannot be moved");
    }
    log.info("group {} starts where group {} stopped: {}", target, source, ahead);
    return Map.copyOf(ahead);
  }

  /** The target group has members, so its offsets cannot be changed now; they may leave soon. */
  public static final class GroupBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GroupBusyException(String message) {
      super(message);
    }
  }

  /** Whether the topic exists (and may be described). */
  public boolean exists(String topic) {
    return groups.exists(topic);
  }
}

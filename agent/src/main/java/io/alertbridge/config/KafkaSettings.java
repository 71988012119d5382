package io.alertbridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where alert events come from and where bad ones go. {@code deadLetterRetryBackoff} is the wait
 * between attempts to write a dead-letter copy after a transient Kafka error. {@code
 * groupInstanceId}, null unless set, makes this instance a static member of its groups (the
 * delivery consumer's and the policy stage's): it must be unique among the running instances of a
 * group, so alertbridge never makes one up (docs/configuration.md).
 */
public record KafkaSettings(
    String bootstrapServers,
    String groupId,
    List<String> topics,
    String deadLetterTopic,
    DataSize maxEventSize,
    Duration pollTimeout,
    Duration deadLetterRetryBackoff,
    Map<String, String> properties,
    String groupInstanceId) {
  public static final DataSize DEFAULT_MAX_EVENT_SIZE = DataSize.ofMebibytes(1);

  public KafkaSettings {
    groupId = groupId == null ? "alertbridge" : groupId;
    topics = Copies.list(topics);
    maxEventSize = maxEventSize == null ? DEFAULT_MAX_EVENT_SIZE : maxEventSize;
    pollTimeout = pollTimeout == null ? Duration.ofMillis(200) : pollTimeout;
    deadLetterRetryBackoff =
        deadLetterRetryBackoff == null ? Duration.ofSeconds(5) : deadLetterRetryBackoff;
    properties = Copies.map(properties);
  }

  /** The static membership id, when one is configured; dynamic membership otherwise. */
  public Optional<String> staticMember() {
    return Optional.ofNullable(groupInstanceId);
  }
}

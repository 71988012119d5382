package io.alertbridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where alert events come from and where bad ones go. {@code deadLetterRetryBackoff} is the wait
 * between attempts to write a dead-letter copy after a transient Kafka error.
 */
public record KafkaSettings(
    String bootstrapServers,
    String groupId,
    List<String> topics,
    String deadLetterTopic,
    DataSize maxEventSize,
    Duration pollTimeout,
    Duration deadLetterRetryBackoff,
    Map<String, String> properties) {
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
}

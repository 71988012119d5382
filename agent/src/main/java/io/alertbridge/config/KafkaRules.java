package io.alertbridge.config;

import java.util.Set;
import java.util.regex.Pattern;

/** The rules of {@code kafka}: where to connect, the topics, and what alertbridge sets itself. */
final class KafkaRules {
  private static final Pattern HOST_PORT = Pattern.compile("[^\\s:,]+:\\d{1,5}");

  /**
   * Kafka's own rule for a group instance id (that of a topic name: JoinGroupRequest refuses
   * anything else when the consumer is made), 2 characters shorter: Kafka Streams appends "-1", the
   * stream thread's number, to the policy stage's id.
   */
  private static final Pattern GROUP_INSTANCE_ID = Pattern.compile("[a-zA-Z0-9._-]{1,247}");

  private static final Set<String> RESERVED_KAFKA_PROPERTIES =
      Set.of(
          "enable.auto.commit",
          "group.id",
          "bootstrap.servers",
          "key.deserializer",
          "value.deserializer",
          "key.serializer",
          "value.serializer");

  private final ConfigValidator v;

  KafkaRules(ConfigValidator v) {
    this.v = v;
  }

  void kafka(KafkaSettings k) {
    if (k == null) {
      v.problem("kafka", null, "is required");
      return;
    }
    if (ConfigValidator.blank(k.bootstrapServers())) {
      v.problem(
          "kafka.bootstrap-servers",
          ConfigValidator.quote(k.bootstrapServers()),
          "must list host:port pairs");
    } else {
      for (String hp : k.bootstrapServers().split(",")) {
        if (!HOST_PORT.matcher(hp.trim()).matches()) {
          v.problem(
              "kafka.bootstrap-servers",
              ConfigValidator.quote(k.bootstrapServers()),
              "each entry must be host:port");
          break;
        }
      }
    }
    if (ConfigValidator.blank(k.groupId())) {
      v.problem("kafka.group-id", ConfigValidator.quote(k.groupId()), "must not be empty");
    }
    groupInstanceId(k);
    if (k.topics().isEmpty()) {
      v.problem("kafka.topics", "[]", "must name at least one topic");
    }
    for (int i = 0; i < k.topics().size(); i++) {
      v.topicName("kafka.topics[" + i + "]", k.topics().get(i));
    }
    v.topicName("kafka.dead-letter-topic", k.deadLetterTopic());
    if (k.topics().contains(k.deadLetterTopic())) {
      v.problem(
          "kafka.dead-letter-topic",
          ConfigValidator.quote(k.deadLetterTopic()),
          "must differ from the alert topics, or bad records would loop");
    }
    if (k.maxEventSize().bytes() <= 0) {
      v.problem("kafka.max-event-size", k.maxEventSize().toString(), "must be positive");
    }
    v.positive("kafka.poll-timeout", k.pollTimeout());
    v.positive("kafka.dead-letter-retry-backoff", k.deadLetterRetryBackoff());
    for (String key : k.properties().keySet()) {
      if (RESERVED_KAFKA_PROPERTIES.contains(key)) {
        v.problem(
            "kafka.properties." + key,
            null,
            "is set by alertbridge itself (offsets are committed only after delivery); use the"
                + " kafka.* keys instead");
      }
    }
  }

  private void groupInstanceId(KafkaSettings k) {
    String id = k.groupInstanceId();
    if (id == null) {
      return;
    }
    // Checked here, not left to the Kafka client: it refuses a bad id only when a stage makes its
    // consumer, after the daemon started, and the policy stage's thread would die on it.
    if (!GROUP_INSTANCE_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
      v.problem(
          "kafka.group-instance-id",
          ConfigValidator.quote(id),
          "must be 1-247 of a-z A-Z 0-9 . _ - (no spaces or line breaks), and not . or ..");
    }
    if (k.properties().containsKey("group.instance.id")) {
      v.problem(
          "kafka.properties.group.instance.id",
          ConfigValidator.quote(k.properties().get("group.instance.id")),
          "must not be set with kafka.group-instance-id: set kafka.group-instance-id only");
    }
  }
}

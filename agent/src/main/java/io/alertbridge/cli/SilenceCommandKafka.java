package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.policy.PolicyTopics;
import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.TopicFollower;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * How the {@code silence} commands reach the silences: the topic, created if missing, read whole.
 */
final class SilenceCommandKafka {
  /** For the broker to answer, and then for the whole topic to be read. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SilenceCommandKafka() {}

  /** The policy's state topic: the silences topic and the alert state are named after it. */
  static String stateTopic(AlertbridgeConfig c) {
    return c.policy().stateTopicFor(c.kafka().groupId());
  }

  /**
   * The silences, read whole; the topic created first if missing (the command line may be the first
   * to write a silence, before any daemon has started).
   */
  static KafkaSilences open(AlertbridgeConfig c) throws Exception {
    String topic = KafkaSilences.topicFor(stateTopic(c));
    try (Admin admin = Admin.create(KafkaClients.common(c.kafka()))) {
      ensureTopic(admin, c, topic);
    }
    KafkaSilences store =
        new KafkaSilences(
            topic,
            KafkaClients.consumer(c.kafka()),
            KafkaClients.producer(c.kafka()),
            Clock.systemUTC());
    store.start();
    if (!store.awaitLoaded(TIMEOUT)) {
      store.close();
      throw new KafkaException(
          "could not read the silences on "
              + topic
              + " within "
              + TIMEOUT.toSeconds()
              + " s; is Kafka at "
              + c.kafka().bootstrapServers()
              + " reachable?");
    }
    return store;
  }

  /**
   * Replicated as the policy's own topics (the same rule: policy settings, else the alert topics'),
   * since a silence lost with a broker would unmute an inbox; when the alert topics cannot be
   * described, as many replicas as brokers, up to 3.
   */
  private static void ensureTopic(Admin admin, AlertbridgeConfig c, String topic) throws Exception {
    int rf;
    Integer minIsr;
    try {
      PolicyTopics.Layout layout =
          PolicyTopics.layout(admin, c.kafka().topics(), c.policy(), TIMEOUT);
      rf = layout.replicationFactor();
      minIsr = layout.minInsyncReplicas();
    } catch (ExecutionException e) {
      int brokers;
      try {
        brokers =
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      } catch (TimeoutException t) {
        throw unreachable(c);
      }
      rf =
          c.policy().replicationFactor() != null
              ? c.policy().replicationFactor()
              : Math.max(1, Math.min(3, brokers));
      minIsr = c.policy().minInsyncReplicas();
    } catch (TimeoutException e) {
      throw unreachable(c);
    }
    TopicFollower.ensureTopic(admin, topic, rf, minIsr);
  }

  private static KafkaException unreachable(AlertbridgeConfig c) {
    return new KafkaException(
        "no broker at "
            + c.kafka().bootstrapServers()
            + " answered within "
            + TIMEOUT.toSeconds()
            + " s");
  }
}

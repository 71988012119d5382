package io.alertbridge.daemon;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigProblem;
import io.alertbridge.config.Durations;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.kafka.TopicCheck;
import io.alertbridge.policy.PolicyAccess;
import io.alertbridge.policy.PolicyTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checks {@code run} and {@code check-config} make against the broker before starting. */
public final class StartupCheck {
  private static final Logger log = LoggerFactory.getLogger(StartupCheck.class);

  /** Each describe call's own timeout. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  private StartupCheck() {}

  /**
   * Checks the topics, trying until a broker answers or {@code patience} has passed. A missing or
   * forbidden topic is a {@link ConfigException}. A broker that never answers is not: {@code run}
   * starts anyway (the consumer waits for the broker, as after any outage), {@code check-config}
   * reports it.
   *
   * @return false when no broker answered within {@code patience}
   */
  public static boolean topics(KafkaSettings k, KafkaClientFactory kafka, Duration patience)
      throws ConfigException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    try (Admin admin = kafka.admin(KafkaClients.common(k))) {
      while (true) {
        try {
          List<ConfigProblem> problems = TopicCheck.check(admin, k, ATTEMPT_TIMEOUT);
          if (!problems.isEmpty()) {
            throw new ConfigException(problems);
          }
          return true;
        } catch (TopicCheck.BrokerUnreachableException e) {
          if (System.nanoTime() - deadline >= 0) {
            log.warn(
                "cannot check the topics: {} within {}",
                e.getMessage(),
                Durations.format(patience));
            return false;
          }
          log.warn("cannot check the topics yet: {}; trying again", e.getMessage());
        }
      }
    }
  }

  /**
   * Decides how the policy stage's topics are replicated and checks that the broker lets the stage
   * run: create (or use) its topics, read its group, use its transactional ids. Call after {@link
   * #topics} found the alert topics.
   *
   * @return empty when no broker answered within {@code patience}
   */
  public static Optional<PolicyTopics.Checked> policy(
      KafkaSettings k, PolicySettings p, KafkaClientFactory kafka, Duration patience)
      throws ConfigException, InterruptedException {
    String appId = p.stateTopicFor(k.groupId());
    Map<String, Object> transactional = KafkaClients.producer(k);
    transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, PolicyAccess.transactionalId(appId));
    transactional.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
    transactional.put(ProducerConfig.CLIENT_ID_CONFIG, "alertbridge-access-check");
    long deadline = System.nanoTime() + patience.toNanos();
    try (Admin admin = kafka.admin(KafkaClients.common(k))) {
      while (true) {
        try {
          PolicyTopics.Layout layout = PolicyTopics.layout(admin, k.topics(), p, ATTEMPT_TIMEOUT);
          List<ConfigProblem> problems =
              PolicyAccess.check(
                  admin, () -> kafka.producer(transactional), appId, layout, ATTEMPT_TIMEOUT);
          if (!problems.isEmpty()) {
            throw new ConfigException(problems);
          }
          return Optional.of(
              new PolicyTopics.Checked(
                  layout,
                  PolicyTopics.differing(
                      admin, layout, PolicyAccess.topics(appId), ATTEMPT_TIMEOUT)));
        } catch (ExecutionException e) {
          // The alert topics were checked a moment ago; only a race or a refusal gets here.
          throw new ConfigException(
              "kafka.topics", k.topics().toString(), "could not be described: " + e.getCause());
        } catch (TimeoutException e) {
          if (System.nanoTime() - deadline >= 0) {
            log.warn(
                "cannot check the policy stage's topics and ACLs: {} within {}",
                e.getMessage(),
                Durations.format(patience));
            return Optional.empty();
          }
          log.warn("cannot check the policy stage's topics and ACLs yet: {}", e.getMessage());
        }
      }
    }
  }
}

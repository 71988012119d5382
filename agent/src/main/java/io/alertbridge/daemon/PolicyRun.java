package io.alertbridge.daemon;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.PolicyHealth;
import io.alertbridge.policy.PolicyLag;
import io.alertbridge.policy.PolicyStage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the policy stage and watches it: creates its topics (retrying only while the broker is
 * away, never on a refusal), and publishes its state, thread replacements and input lag.
 */
final class PolicyRun implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyRun.class);

  /** Between two start attempts while no broker answers. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private final PolicyStage stage;
  private final PolicySettings settings;
  private final KafkaSettings kafka;
  private final KafkaClientFactory clients;
  private final String appId;
  private final List<String> inputTopics;
  private final PolicyHealth health;
  private volatile PolicyLag lag;

  PolicyRun(
      PolicyStage stage,
      PolicySettings settings,
      KafkaSettings kafka,
      KafkaClientFactory clients,
      List<String> internalTopics,
      Clock clock,
      Metrics metrics) {
    this.stage = stage;
    this.settings = settings;
    this.kafka = kafka;
    this.clients = clients;
    this.appId = settings.stateTopicFor(kafka.groupId());
    this.inputTopics =
        java.util.stream.Stream.concat(kafka.topics().stream(), internalTopics.stream())
            .distinct()
            .toList();
    this.health =
        new PolicyHealth(
            clock,
            () -> {
              PolicyLag l = lag;
              return l == null ? zeroLag() : l.lag();
            });
    stage.listen(health);
    metrics.watchPolicy(
        PolicyHealth.STATES, health::state, health::threadReplacements, health::lag);
  }

  private java.util.Map<String, Long> zeroLag() {
    java.util.Map<String, Long> zero = new java.util.TreeMap<>();
    inputTopics.forEach(t -> zero.put(t, 0L));
    return zero;
  }

  /**
   * Creates the stage's topics and starts it. A broker that does not answer is waited for; a
   * refusal (a missing ACL) is fatal at once: no retry mends it.
   *
   * @return false when stopped, interrupted or failed before the stage started
   */
  boolean start(BooleanSupplier keepTrying, FatalErrorHandler fatal) {
    while (keepTrying.getAsBoolean()) {
      try {
        stage.createTopics(settings);
        stage.start();
        startLag();
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (RuntimeException e) {
        if (AuthorizationFailure.in(e).isPresent()) {
          fatal.fatal("the policy stage may not start (a Kafka ACL is missing)", e);
          return false;
        }
        log.warn(
            "cannot start the policy stage yet: {}; trying again in {} s",
            e.toString(),
            RETRY.toSeconds());
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private void startLag() {
    PolicyLag l =
        new PolicyLag(
            clients.admin(KafkaClients.common(kafka)),
            appId,
            inputTopics,
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "alertbridge-policy-lag");
                  t.setDaemon(true);
                  return t;
                }));
    lag = l;
    l.start();
  }

  /** Why the stage keeps the daemon from being ready, if it does. */
  io.alertbridge.policy.OpenIncidents.Found incidents(int max) {
    return stage.incidents(max);
  }

  Optional<String> notReady() {
    return health.notReady();
  }

  @Override
  public void close() {
    PolicyLag l = lag;
    if (l != null) {
      l.close();
    }
    stage.close();
  }
}

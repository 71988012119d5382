package io.alertbridge.daemon;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigProblem;
import io.alertbridge.config.Durations;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.kafka.TopicCheck;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
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
}

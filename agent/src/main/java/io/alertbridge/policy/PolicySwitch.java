package io.alertbridge.policy;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.GroupOffsets;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.kafka.OffsetSeeding;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes switching {@code policy.enabled} neither flood nor re-mail (issue 15, M8). Two consumer
 * groups read the alert topics, one per mode: the delivery group ({@code kafka.group-id}) with the
 * policy off, Kafka Streams' group (its application id, the state topic) with it on. Before either
 * mode starts, its group is moved forward on the alert topics to where the other group stopped, if
 * the other one got further; and the direct path also delivers what the policy decided but left
 * undelivered on its notification topic. docs/policy.md, "Switching policy.enabled".
 */
public final class PolicySwitch {
  private static final Logger log = LoggerFactory.getLogger(PolicySwitch.class);
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

  /** How often a group that still has members is asked again: 60 s, past a session timeout. */
  static final int MAX_BUSY_TRIES = 12;

  private final boolean policyOn;
  private final KafkaSettings kafka;
  private final String streamsGroup;
  private final String notificationsTopic;
  private final KafkaClientFactory clients;

  public PolicySwitch(AlertbridgeConfig config, KafkaClientFactory clients) {
    this.policyOn = config.policy().enabled();
    this.kafka = config.kafka();
    this.streamsGroup = config.policy().stateTopicFor(kafka.groupId());
    // As PolicyTopology.Wiring names it; PolicySwitchTest keeps the two in step.
    this.notificationsTopic = PolicyTopology.notificationsTopicOf(streamsGroup);
    this.clients = clients;
  }

  String notificationsTopic() {
    return notificationsTopic;
  }

  /**
   * The planner of the direct path: alert events go to {@code direct}; records of the policy's
   * notification topic, left there when the policy was switched off, to {@code notifications}.
   */
  public MailPlanner directPlanner(MailPlanner direct, MailPlanner notifications) {
    return r -> r.topic().equals(notificationsTopic) ? notifications.plan(r) : direct.plan(r);
  }

  /**
   * Seeds the offsets of the mode about to start and, on the direct path, has {@code consumer}
   * drain the notification topic if it exists. Tries again while the broker cannot be reached; a
   * refusal (the principal may not use its own group) is no reason to wait and goes to {@code
   * fatal}, which makes it exit 2.
   *
   * @return false when {@code keepTrying} said stop before it was done, or on a refusal
   */
  public boolean prepare(
      AlertConsumer consumer, BooleanSupplier keepTrying, FatalErrorHandler fatal) {
    int busy = 0;
    while (keepTrying.getAsBoolean()) {
      try (GroupOffsets groups = clients.groupOffsets(KafkaClients.common(kafka))) {
        OffsetSeeding seeding = new OffsetSeeding(groups);
        String target = policyOn ? streamsGroup : kafka.groupId();
        String source = policyOn ? kafka.groupId() : streamsGroup;
        try {
          seeding.catchUp(target, source, kafka.topics());
        } catch (OffsetSeeding.GroupBusyException e) {
          // A member killed with -9 stays until its session times out (45 s by default): wait for
          // it a while, or the mode would start from stale offsets and mail history again.
          if (++busy < MAX_BUSY_TRIES) {
            log.info("{}; trying again in {}", e.getMessage(), RETRY_INTERVAL);
            if (!pause()) {
              return false;
            }
            continue;
          }
          log.warn(
              "{}: they stay where they are; stop every instance before switching"
                  + " policy.enabled",
              e.getMessage());
        }
        if (!policyOn) {
          if (seeding.exists(notificationsTopic)) {
            log.info("the policy is off: delivering what it left on {} too", notificationsTopic);
            consumer.alsoConsume(List.of(notificationsTopic));
          }
        }
        return true;
      } catch (RuntimeException e) {
        if (AuthorizationFailure.in(e).isPresent()) {
          fatal.fatal("the broker refuses the consumer groups' offsets", e);
          return false;
        }
        log.warn(
            "cannot align the consumer groups' offsets for policy.enabled={} yet: {}; trying again"
                + " in {}",
            policyOn,
            e.toString(),
            RETRY_INTERVAL);
      }
      if (!pause()) {
        return false;
      }
    }
    return false;
  }

  private static boolean pause() {
    try {
      Thread.sleep(RETRY_INTERVAL.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

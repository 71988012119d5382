package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.metrics.PolicyMetrics;
import io.alertbridge.policy.LiveRules;
import io.alertbridge.policy.NotificationPlanner;
import io.alertbridge.policy.PolicyOperators;
import io.alertbridge.policy.PolicyRules;
import io.alertbridge.policy.PolicyStage;
import io.alertbridge.policy.PolicyTopology;
import io.alertbridge.policy.ResponseAddresses;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Router;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * With {@code policy.enabled}: the policy stage reads the alert topics, and the delivery stage
 * reads the notifications it writes instead.
 */
final class PolicyPathWiring {
  private PolicyPathWiring() {}

  static DeliveryInput build(
      AlertbridgeConfig config,
      Clock clock,
      EventDecoder decoder,
      Router router,
      MessageComposer composer,
      Metrics metrics,
      KafkaClientFactory kafka,
      FatalErrorHandler fatal,
      PolicyOperators operators,
      ResponseAddresses addresses) {
    PolicySettings p = config.policy();
    LiveRules rules = new LiveRules(PolicyRules.of(config, router, 0));
    PolicyTopology.Wiring wiring =
        new PolicyTopology.Wiring(
            decoder,
            rules,
            clock,
            config.kafka().topics(),
            config.kafka().deadLetterTopic(),
            p.stateTopicFor(config.kafka().groupId()),
            p.maxEventAge(),
            p.dedupWindow(),
            p.maxMailsPerRecipient(),
            composer.messageIdDomain(),
            p.maxClockSkew(),
            new PolicyMetrics(metrics.registry()),
            operators,
            // Test-only: the crash-guard test kills the stage on this event
            // (docs/architecture.md).
            System.getenv("ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID"));
    PolicyStage stage = new PolicyStage(wiring, config.kafka(), p.commitInterval(), fatal);
    stage.onDeadLetterWrite(metrics::deadLetterWrite);
    metrics.watchIncidents(
        () -> {
          var found = stage.incidents(0);
          return new int[] {found.total() - found.acknowledged(), found.acknowledged()};
        });
    PolicyRun run =
        new PolicyRun(
            stage,
            p,
            config.kafka(),
            kafka,
            List.of(wiring.eventsTopic(), wiring.mailsTopic()),
            clock,
            metrics);
    // The policy's settings need a restart (ConfigReloader): those it started with stay.
    Replanner replanner =
        (c, r, comp) ->
            new NotificationPlanner(comp, p.maxMailsPerRecipient(), p.maxEventAge(), addresses);
    return new DeliveryInput(
        replanner.plan(config, router, composer),
        withTopic(config.kafka(), wiring.notificationsTopic()),
        Optional.of(run),
        Optional.of(rules),
        replanner);
  }

  private static KafkaSettings withTopic(KafkaSettings k, String topic) {
    return new KafkaSettings(
        k.bootstrapServers(),
        k.groupId(),
        List.of(topic),
        k.deadLetterTopic(),
        k.maxEventSize(),
        k.pollTimeout(),
        k.deadLetterRetryBackoff(),
        k.properties(),
        k.groupInstanceId());
  }
}

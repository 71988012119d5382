package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.kafka.KafkaClientFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySwitchTest {
  @TempDir Path dir;

  private PolicySwitch policySwitch() throws Exception {
    AlertbridgeConfig config =
        new ConfigLoader(Map.of("GROUP", "plant"))
            .load(ConfigFixtures.write(dir, ConfigFixtures.VALID));
    return new PolicySwitch(config, KafkaClientFactory.REAL);
  }

  private static InboundRecord on(String topic) {
    return new InboundRecord(topic, 0, 0, null, new byte[0], List.of(), 0L);
  }

  @Test
  void theDrainedTopicIsTheOneThePolicyWritesItsNotificationsTo() throws Exception {
    assertThat(policySwitch().notificationsTopic())
        .isEqualTo(PolicyTopology.notificationsTopicOf("plant.state"));
  }

  @Test
  void theDirectPlannerSendsRecordsOfTheNotificationTopicToTheNotificationPlanner()
      throws Exception {
    MailPlanner direct = r -> new MailPlanner.Unusable(AuditStatus.INVALID, null, "direct");
    MailPlanner notifications =
        r -> new MailPlanner.Unusable(AuditStatus.DEAD_LETTERED, null, "notification");
    MailPlanner planner = policySwitch().directPlanner(direct, notifications);
    assertThat(planner.plan(on("plant.state-notifications")))
        .isEqualTo(new MailPlanner.Unusable(AuditStatus.DEAD_LETTERED, null, "notification"));
    assertThat(planner.plan(on("alerts")))
        .isEqualTo(new MailPlanner.Unusable(AuditStatus.INVALID, null, "direct"));
  }
}

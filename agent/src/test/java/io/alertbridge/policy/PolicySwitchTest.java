package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.GroupOffsets;
import io.alertbridge.kafka.KafkaClientFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
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

  @Test
  void aBrokerThatRefusesTheGroupsOffsetsIsFatalAtOnceNotRetried() throws Exception {
    AlertbridgeConfig config =
        new ConfigLoader(Map.of("GROUP", "plant"))
            .load(ConfigFixtures.write(dir, ConfigFixtures.VALID));
    GroupOffsets refusing =
        new GroupOffsets() {
          @Override
          public Map<TopicPartition, Long> committed(String group, List<String> topics) {
            if (group.endsWith(".state")) {
              return Map.of(); // the other mode's group: readable, nothing committed
            }
            // Its own group: the direct path could not consume either.
            throw new GroupOffsets.ForbiddenException(
                "may not read group " + group + "'s offsets",
                new GroupAuthorizationException("denied"));
          }

          @Override
          public boolean alter(String group, Map<TopicPartition, Long> offsets) {
            return true;
          }

          @Override
          public boolean exists(String topic) {
            return false;
          }

          @Override
          public void close() {}
        };
    KafkaClientFactory clients =
        new KafkaClientFactory() {
          @Override
          public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
            throw new AssertionError("not needed");
          }

          @Override
          public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
            throw new AssertionError("not needed");
          }

          @Override
          public org.apache.kafka.clients.admin.Admin admin(Map<String, Object> properties) {
            throw new AssertionError("not needed");
          }

          @Override
          public GroupOffsets groupOffsets(Map<String, Object> properties) {
            return refusing;
          }
        };
    List<Throwable> fatal = new ArrayList<>();
    AtomicInteger asked = new AtomicInteger();

    boolean prepared =
        new PolicySwitch(config, clients)
            .prepare(null, () -> asked.incrementAndGet() < 100, (what, cause) -> fatal.add(cause));

    assertThat(prepared).isFalse();
    assertThat(asked).as("no second try").hasValue(1);
    assertThat(fatal)
        .singleElement()
        .satisfies(c -> assertThat(AuthorizationFailure.in(c)).isPresent());
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.PolicySettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTopicsTest {
  private static PolicySettings replication(Integer rf, Integer minIsr) {
    return new PolicySettings(null, null, null, null, null, null, null, rf, minIsr);
  }

  @Test
  void withoutSettingsThePolicysTopicsAreReplicatedAsTheAlertTopics() {
    PolicyTopics.Layout l = PolicyTopics.layout(6, 3, 2, PolicySettings.defaults());
    assertThat(l).isEqualTo(new PolicyTopics.Layout(6, (short) 3, 2, "as the alert topics"));
    assertThat(l.streamsProperties())
        .isEqualTo(
            Map.of(
                "replication.factor",
                3,
                "topic.min.insync.replicas",
                "2",
                "topic.max.message.bytes",
                "1048576",
                "producer.max.request.size",
                1048576));
  }

  @Test
  void theSettingsWinOverTheAlertTopics() {
    assertThat(PolicyTopics.layout(1, 1, 1, replication(3, 2)))
        .isEqualTo(
            new PolicyTopics.Layout(
                1, (short) 3, 2, "policy.replication-factor and policy.min-insync-replicas"));
  }

  @Test
  void anInheritedMinInsyncNeverExceedsAConfiguredSmallerFactor() {
    // Alert topics with RF 3 and min.insync 2; the policy's topics asked for RF 1: a min.insync of
    // 2 would refuse every write of the stage.
    assertThat(PolicyTopics.layout(4, 3, 2, replication(1, null)))
        .isEqualTo(
            new PolicyTopics.Layout(
                4, (short) 1, 1, "policy.replication-factor, the rest as the alert topics"));
  }

  @Test
  void theTopicsToCheckAreTheStagesOwnAndEveryChangelog() {
    assertThat(PolicyAccess.topics("g.state"))
        .containsExactly(
            "g.state-events",
            "g.state-mails",
            "g.state-notifications",
            "g.state-crashes",
            "g.state-responses",
            "g.state-heads-changelog",
            "g.state-alerts-changelog",
            "g.state-closed-alerts-changelog",
            "g.state-windows-changelog",
            "g.state-folded-changelog",
            "g.state-backlog-counts-changelog");
  }
}

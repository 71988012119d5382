package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetSeedingTest {
  private static final TopicPartition A0 = new TopicPartition("alerts", 0);
  private static final TopicPartition A1 = new TopicPartition("alerts", 1);
  private final InMemoryGroupOffsets groups = new InMemoryGroupOffsets();
  private final OffsetSeeding seeding = new OffsetSeeding(groups);

  @Test
  void aGroupWithoutOffsetsStartsWhereTheOtherStopped() {
    groups.commit("direct", "alerts", 0, 40);
    groups.commit("direct", "alerts", 1, 7);
    assertThat(seeding.catchUp("policy", "direct", List.of("alerts")))
        .isEqualTo(Map.of(A0, 40L, A1, 7L));
    assertThat(groups.committed("policy", List.of("alerts"))).isEqualTo(Map.of(A0, 40L, A1, 7L));
  }

  @Test
  void aGroupIsMovedForwardOnlyWhereTheOtherGotFurtherNeverBack() {
    groups.commit("direct", "alerts", 0, 40);
    groups.commit("direct", "alerts", 1, 7);
    groups.commit("policy", "alerts", 0, 10);
    groups.commit("policy", "alerts", 1, 9);
    assertThat(seeding.catchUp("policy", "direct", List.of("alerts"))).isEqualTo(Map.of(A0, 40L));
    assertThat(groups.committed("policy", List.of("alerts"))).isEqualTo(Map.of(A0, 40L, A1, 9L));
  }

  @Test
  void onlyTheGivenTopicsAreSeeded() {
    groups.commit("policy", "alerts", 0, 5);
    groups.commit("policy", "policy-events", 0, 99);
    seeding.catchUp("direct", "policy", List.of("alerts"));
    assertThat(groups.groups.get("direct")).isEqualTo(Map.of(A0, 5L));
  }

  @Test
  void aGroupWithActiveMembersKeepsItsOffsetsAndSaysSo() {
    groups.commit("direct", "alerts", 0, 40);
    groups.activeGroups.add("policy");
    assertThatThrownBy(() -> seeding.catchUp("policy", "direct", List.of("alerts")))
        .isInstanceOf(OffsetSeeding.GroupBusyException.class)
        .hasMessageContaining("group policy has members");
    assertThat(groups.committed("policy", List.of("alerts"))).isEmpty();
  }

  @Test
  void nothingToSeedFromLeavesTheGroupAlone() {
    groups.commit("policy", "alerts", 0, 3);
    assertThat(seeding.catchUp("policy", "direct", List.of("alerts"))).isEmpty();
    assertThat(groups.committed("policy", List.of("alerts"))).isEqualTo(Map.of(A0, 3L));
  }
}

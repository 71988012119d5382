package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka.group-instance-id}: static membership, only when asked for, with a valid id. */
class GroupInstanceIdConfigTest {
  @TempDir Path dir;

  private static final String RULE =
      "must be 1-247 of a-z A-Z 0-9 . _ - (no spaces or line breaks), and not . or ..";

  private static String withId(String id) {
    return ConfigFixtures.VALID.replace(
        "poll-timeout: 50ms", "poll-timeout: 50ms\n  group-instance-id: " + id);
  }

  private AlertbridgeConfig load(String yaml, Map<String, String> env) throws Exception {
    return new ConfigLoader(env).load(ConfigFixtures.write(dir, yaml));
  }

  private ConfigException failure(String yaml, Map<String, String> env) {
    return (ConfigException) catchThrowable(() -> load(yaml, env));
  }

  @Test
  void membershipStaysDynamicUnlessAnIdIsConfigured() throws Exception {
    assertThat(load(ConfigFixtures.VALID, Map.of()).kafka().staticMember()).isEmpty();
  }

  @Test
  void idIsSubstitutedFromTheEnvironmentLikeAnyValue() throws Exception {
    KafkaSettings k = load(withId("${HOSTNAME}-alertbridge"), Map.of("HOSTNAME", "box-1")).kafka();

    assertThat(k.staticMember()).contains("box-1-alertbridge");
  }

  @Test
  void idWithALineBreakIsRefusedWithTheKeyAndTheRule() {
    ConfigException e = failure(withId("${BOX}"), Map.of("BOX", "box-1\r\nforged"));

    assertThat(e.problems())
        .containsExactly(new ConfigProblem("kafka.group-instance-id", "\"box-1\r\nforged\"", RULE));
  }

  @Test
  void idLeavesRoomForTheStreamThreadNumber() throws Exception {
    assertThat(load(withId("a".repeat(247)), Map.of()).kafka().staticMember()).isPresent();

    ConfigException e = failure(withId("a".repeat(248)), Map.of());

    assertThat(e.problems()).extracting(ConfigProblem::rule).containsExactly(RULE);
  }

  @Test
  void idAndTheKafkaPropertyTogetherAreRefused() {
    String yaml =
        withId("box-1")
            .replace(
                "group-instance-id: box-1",
                "group-instance-id: box-1\n  properties: {group.instance.id: box-2}");

    ConfigException e = failure(yaml, Map.of());

    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "kafka.properties.group.instance.id",
                "\"box-2\"",
                "must not be set with kafka.group-instance-id: set kafka.group-instance-id"
                    + " only"));
  }
}

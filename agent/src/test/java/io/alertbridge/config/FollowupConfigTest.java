package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code escalate}, {@code ack-ttl}, {@code on-bounce} and acknowledge links (issue 18). */
class FollowupConfigTest {
  @TempDir Path dir;

  private static final String ROUTE =
      "  - name: engine-critical\n"
          + "    match: {severity: critical, labels: {room: engine}}\n"
          + "    to: [list:engine-oncall]\n"
          + "    template: overtemp\n";

  private String withRoute(String extra) {
    return ConfigFixtures.VALID.replace(ROUTE, ROUTE + extra);
  }

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  private ConfigException failure(String yaml) {
    return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml));
  }

  @Test
  void escalationStepsAckTtlAndOnBounceAreRead() throws Exception {
    AlertbridgeConfig c =
        load(
            withRoute(
                "    escalate:\n"
                    + "      - {after: 15m, to: [list:engine-oncall]}\n"
                    + "      - {after: 45m, to: [superintendent@plant.example]}\n"
                    + "    ack-ttl: 4h\n"
                    + "    on-bounce: [ops@plant.example]\n"));
    RouteSettings r = c.routes().get(0);
    assertThat(r.escalate())
        .extracting(RouteSettings.EscalationStep::after)
        .containsExactly(Duration.ofMinutes(15), Duration.ofMinutes(45));
    assertThat(r.ackTtl()).isEqualTo(Duration.ofHours(4));
    assertThat(r.onBounce()).containsExactly("ops@plant.example");
  }

  @Test
  void stepsMustComeLaterOneAfterTheOtherAndNameKnownRecipients() {
    ConfigException e =
        failure(
            withRoute(
                "    escalate:\n"
                    + "      - {after: 45m, to: [list:nobody]}\n"
                    + "      - {after: 15m, to: []}\n"
                    + "    ack-ttl: 0s\n"));
    assertThat(e.problems())
        .extracting(ConfigProblem::path, ConfigProblem::rule)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "routes[0].escalate[1].after", "must be later than the step before (45m)"),
            org.assertj.core.groups.Tuple.tuple(
                "routes[0].escalate[1].to", "must name at least one recipient or list:NAME"),
            org.assertj.core.groups.Tuple.tuple("routes[0].ack-ttl", "must be longer than zero"));
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .contains("routes[0].escalate[0].to[0]");
  }

  @Test
  void linksNeedAnAbsoluteUrlAListenerAndAPrivateKey() throws Exception {
    Path key = dir.resolve("link.key");
    Files.write(key, new byte[32]);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    String yaml =
        ConfigFixtures.VALID + "http:\n  public-url: ftp://x\n  link-key-file: " + key + "\n";
    ConfigException e = failure(yaml);
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("http.public-url", "http.public-url", "http.link-key-file");
    assertThat(e.problems())
        .extracting(ConfigProblem::rule)
        .contains(
            "needs http.listen: the acknowledge page is served there",
            "must not be readable by others (chmod o-r, e.g. 0600 or 0640): it signs acknowledge"
                + " links");
  }

  @Test
  void aLinkKeyWithoutPublicUrlIsAMistake() {
    assertThatThrownBy(
            () -> load(ConfigFixtures.VALID + "http:\n  link-key-file: /run/secrets/k\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.link-key-file")
        .hasMessageContaining("is used only with http.public-url, which is not set");
  }
}

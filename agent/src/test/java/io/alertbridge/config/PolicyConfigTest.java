package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigTest {
  @TempDir Path dir;

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  private static String withPolicy(String policy) {
    return ConfigFixtures.VALID.replace(
        "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
        policy);
  }

  @Test
  void clockSkewAndAlertTimeoutHaveTheirDocumentedDefaults() throws Exception {
    AlertbridgeConfig c = load(ConfigFixtures.VALID);
    assertThat(c.policy().maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.routes()).allSatisfy(r -> assertThat(r.alertTimeout()).isNull());
    assertThat(c.routes()).allSatisfy(r -> assertThat(r.onAlertTimeout()).isEqualTo("report"));
  }

  @Test
  void theShippedConfigurationEndsAlertsWithoutReadingsAfterFiveMinutes() throws Exception {
    AlertbridgeConfig c =
        new ConfigLoader(Map.of()).load(Path.of("../config/alertbridge.yaml").toAbsolutePath());
    assertThat(c.routes()).allSatisfy(r -> assertThat(r.alertTimeout()).hasMinutes(5));
  }

  @Test
  void anUnknownAlertTimeoutActionAndANonPositiveSkewAreNamed() {
    String yaml =
        withPolicy("  max-clock-skew: 0s\n")
            .replaceFirst("(\\n    to: )", "\n    on-alert-timeout: forget$1");
    ConfigException e = (ConfigException) Assertions.catchThrowable(() -> load(yaml));
    assertThat(e.problems())
        .extracting(p -> p.path() + " " + p.found() + " " + p.rule())
        .contains(
            "policy.max-clock-skew 0s must be longer than zero",
            "routes[0].on-alert-timeout \"forget\" must be report or resolve");
  }
}

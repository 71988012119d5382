package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inhibit}, {@code flap-detection} and {@code http.auth}: each mistake named (issue 17). */
class OperatorConfigTest {
  @TempDir Path dir;

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  private ConfigException failure(String yaml) {
    return (ConfigException) catchThrowable(() -> load(yaml));
  }

  private static String withInhibit(String rules) {
    return ConfigFixtures.VALID + "inhibit:\n" + rules;
  }

  @Test
  void anInhibitionRuleIsReadWithItsMatchers() throws Exception {
    AlertbridgeConfig c =
        load(
            withInhibit(
                "  - source: ['type=\"plc-comms-lost\"']\n"
                    + "    target: ['labels.room=engine']\n"
                    + "    equal: [labels.site]\n"));
    assertThat(c.inhibit()).hasSize(1);
    assertThat(c.inhibit().get(0).equal()).containsExactly("labels.site");
  }

  @Test
  void aRuleThatWouldHideEverythingOrNamesAnUnknownFieldIsRefused() {
    ConfigException e =
        failure(
            withInhibit(
                "  - source: ['labels.x=~\".*\"']\n"
                    + "    target: ['sensor=T3']\n"
                    + "    equal: [site]\n"));
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "inhibit[0].source", "inhibit[0].target[0]", "inhibit[0].equal[0]");
  }

  @Test
  void flapDetectionNeedsASensibleNumberOfTransitions() {
    String yaml =
        ConfigFixtures.VALID.replace(
            "    template: plain\n",
            "    template: plain\n    flap-detection: {transitions: 1, window: 0s}\n");
    ConfigException e = failure(yaml);
    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "routes[1].flap-detection.transitions", "routes[1].flap-detection.window");
  }

  @Test
  void aTokensFileOthersMayReadStopsTheStartNamingIt() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "alice:secret-token-of-alice\n");
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
    String yaml = ConfigFixtures.VALID + "http:\n  auth: {tokens-file: " + tokens + "}\n";

    ConfigException e = failure(yaml);

    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "http.auth.tokens-file",
                "\"" + tokens + "\"",
                "must not be readable by others (chmod o-r, e.g. 0600 or 0640): it holds tokens"));
    assertThat(e.getMessage()).doesNotContain("secret-token-of-alice");

    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
    assertThat(load(yaml).http().writable()).isTrue();
  }
}

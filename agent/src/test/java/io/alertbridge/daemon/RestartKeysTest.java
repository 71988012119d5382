package io.alertbridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartKeysTest {
  @TempDir Path dir;

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(
            ConfigFixtures.env("localhost:9092", "alerts", "ab", 2525, dir.resolve("audit.jsonl")))
        .load(ConfigFixtures.write(dir, yaml));
  }

  @Test
  void listenersPolicyAndSecurityPropertiesAreNamedAndSecretsHidden() throws Exception {
    AlertbridgeConfig running = load(ConfigFixtures.VALID);
    AlertbridgeConfig next =
        load(
            ConfigFixtures.VALID
                .replace(
                    "  poll-timeout: 50ms\n",
                    "  poll-timeout: 50ms\n"
                        + "  properties:\n"
                        + "    sasl.jaas.config: \"PlainLoginModule required password=s3cret;\"\n")
                .replace("audit:\n", "http:\n  listen: 127.0.0.1:9464\naudit:\n")
                .replace("  enabled: false", "  enabled: true"));

    assertThat(RestartKeys.between(running, next))
        .extracting(Object::toString)
        .containsExactly(
            "kafka.properties.sasl.jaas.config changed: needs a restart; keeping (not set)"
                + " (found: (hidden))",
            "policy.enabled changed: needs a restart; keeping false (found: true)",
            "http.listen changed: needs a restart; keeping (not set) (found: \"127.0.0.1:9464\")");
  }

  @Test
  void whatReloadsIsNotNamed() throws Exception {
    AlertbridgeConfig running = load(ConfigFixtures.VALID);
    AlertbridgeConfig next =
        load(
            ConfigFixtures.VALID
                .replace("to: [ops@plant.example]", "to: [night@plant.example]")
                .replace("read-timeout: 5s", "read-timeout: 7s"));

    assertThat(RestartKeys.between(running, next)).isEmpty();
  }
}

package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliverySettingsTest {
  @TempDir Path dir;

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  private static String withMaxEventAge(String value) {
    return ConfigFixtures.VALID.replace(
        "delivery:\n", "delivery:\n  max-event-age: " + value + "\n");
  }

  @Test
  void theDirectPathMailsEventsOfAnyAgeByDefault() throws Exception {
    assertThat(load(ConfigFixtures.VALID).delivery().maxEventAge()).isZero();
  }

  @Test
  void maxEventAgeIsADuration() throws Exception {
    assertThat(load(withMaxEventAge("1h")).delivery().maxEventAge()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aNegativeMaxEventAgeIsAProblemNamingTheKey() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> load(withMaxEventAge("PT-1H")));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("delivery.max-event-age");
              assertThat(p.rule()).isEqualTo("must not be negative (0s mails events of any age)");
            });
  }
}

package io.alertbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.ConfigFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code alertbridge rota show}: who is on watch, its exit codes; no Kafka needed. */
class RotaShowCommandTest {
  @RegisterExtension final CapturedOutput output = new CapturedOutput();
  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    config =
        ConfigFixtures.write(
            dir,
            ConfigFixtures.VALID.replace(
                "lists:\n",
                """
                lists:
                  engine-watch:
                    rota:
                      timezone: Europe/Berlin
                      shifts:
                        - {start: "00:00", members: [third.officer@plant.example]}
                        - {start: "04:00", members: [chief.officer@plant.example]}
                        - {start: "08:00", members: [second.officer@plant.example]}
                        - {start: "12:00", members: [third.officer@plant.example]}
                        - {start: "16:00", members: [chief.officer@plant.example]}
                        - {start: "20:00", members: [second.officer@plant.example]}
                      overrides:
                        - {from: 2026-12-24T00:00:00+01:00, to: 2026-12-27T00:00:00+01:00, replace: second.officer@plant.example, with: relief.officer@plant.example}
                """));
  }

  private int show(String... rest) {
    String[] head = {"rota", "show", "--config", config.toString()};
    String[] args = new String[head.length + rest.length];
    System.arraycopy(head, 0, args, 0, head.length);
    System.arraycopy(rest, 0, args, head.length, rest.length);
    return Main.execute(args);
  }

  @Test
  void showsWhoIsOnWatchAtATimeAndUntilWhenInTheRotasZone() {
    assertThat(show("engine-watch", "--at", "2026-12-25T09:30:00Z")).isEqualTo(0);
    assertThat(output.stdout())
        .isEqualTo(
            """
            engine-watch (rota, Europe/Berlin) at 2026-12-25 10:30 +01:00 (Fri):
              relief.officer@plant.example
            on watch from 2026-12-25 08:00 +01:00 (Fri) until 2026-12-25 12:00 +01:00 (Fri)
            """);
  }

  @Test
  void aLocalTimeIsReadInTheRotasZone() {
    assertThat(show("engine-watch", "--at", "2026-06-01T23:59")).isEqualTo(0);
    assertThat(output.stdout())
        .isEqualTo(
            """
            engine-watch (rota, Europe/Berlin) at 2026-06-01 23:59 +02:00 (Mon):
              second.officer@plant.example
            on watch from 2026-06-01 20:00 +02:00 (Mon) until 2026-06-02 00:00 +02:00 (Tue)
            """);
  }

  @Test
  void withoutATimeItShowsNow() {
    assertThat(show("engine-watch")).isEqualTo(0);
    assertThat(output.stdout()).startsWith("engine-watch (rota, Europe/Berlin) at ");
  }

  @Test
  void aPlainListPrintsItsMembers() {
    assertThat(show("engine-oncall")).isEqualTo(0);
    assertThat(output.stdout())
        .isEqualTo(
            """
            engine-oncall (not a rota):
              chief.engineer@plant.example
              duty.engineer@plant.example
            """);
  }

  @Test
  void anUnknownListIsAUsageErrorNamingTheLists() {
    assertThat(show("bridge-watch")).isEqualTo(2);
    assertThat(output.stderr())
        .isEqualTo(
            "alertbridge rota show: no list bridge-watch in "
                + config
                + "; its lists: [engine-watch, engine-oncall]\n");
  }

  @Test
  void aTimeThatIsNoDateTimeIsAUsageError() {
    assertThat(show("engine-watch", "--at", "tomorrow")).isEqualTo(2);
    assertThat(output.stderr())
        .isEqualTo(
            "alertbridge rota show: --at tomorrow must be a date-time such as"
                + " 2026-12-24T03:00:00+01:00 or 2026-12-24T03:00 (in Europe/Berlin)\n");
  }

  @Test
  void withoutANameItIsAUsageError() {
    assertThat(show()).isEqualTo(2);
    assertThat(output.stderr()).contains("Missing required parameter: 'NAME'");
  }
}

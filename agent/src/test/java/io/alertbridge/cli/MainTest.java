package io.alertbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.ConfigFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;
  @RegisterExtension final CapturedOutput output = new CapturedOutput();

  private String stdout() {
    return output.stdout();
  }

  private String stderr() {
    return output.stderr();
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(Main.execute()).isEqualTo(2);
    assertThat(stderr()).contains("a command is required").contains("Usage: alertbridge");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(Main.execute("check-config", "--nope")).isEqualTo(2);
  }

  @Test
  void helpListsTheCommandsAndExitsZero() {
    assertThat(Main.execute("--help")).isZero();
    assertThat(stdout()).contains("run", "check-config", "render");
  }

  @Test
  void checkConfigSummarisesAValidConfigurationWithoutPasswords() throws Exception {
    Path file =
        ConfigFixtures.write(
            dir,
            ConfigFixtures.VALID.replace(
                "port: ${SMTP_PORT:-25}",
                "port: 587\n      tls: starttls\n      username: alertbridge\n      password: hunter2"));
    assertThat(Main.execute("check-config", "--offline", "--config", file.toString())).isZero();
    assertThat(stdout())
        .contains("is valid")
        .contains("engine-critical")
        .contains("chief.engineer@plant.example, duty.engineer@plant.example")
        .contains(
            "SmtpServer[127.0.0.1:587, tls=starttls, priority=1, username=alertbridge, password=***]")
        .doesNotContain("hunter2");
  }

  @Test
  void checkConfigExitsTwoNamingEveryProblem() throws Exception {
    Path file =
        ConfigFixtures.write(
            dir,
            ConfigFixtures.VALID
                .replace("template: plain", "template: nosuch")
                .replace("connect-timeout: 2s", "connect-timeout: soon"));
    assertThat(Main.execute("check-config", "-c", file.toString())).isEqualTo(2);
    assertThat(stderr())
        .startsWith("alertbridge: configuration error:")
        .contains("smtp.connect-timeout: must be a duration");
  }

  @Test
  void renderShowsTheMatchedRouteAndWritesEml() throws Exception {
    Path file = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    Path event = dir.resolve("event.json");
    Files.writeString(event, io.alertbridge.event.EventDecoderTestData.OVERTEMP);
    Path outDir = dir.resolve("eml");
    assertThat(
            Main.execute(
                "render",
                "-c",
                file.toString(),
                "--event",
                event.toString(),
                "--out",
                outDir.toString()))
        .isZero();
    assertThat(stdout())
        .contains(
            "route engine-critical -> [chief.engineer@plant.example,"
                + " duty.engineer@plant.example]");
    assertThat(Files.readString(outDir.resolve("engine-critical.eml")))
        .contains("Subject: =?UTF-8?Q?[FIRING]_Overtemp_in_the_engine_room:_98.4_=C2=B0C?=")
        .contains("Auto-Submitted: auto-generated");
  }

  @Test
  void renderOfAnInvalidEventExitsOne() throws Exception {
    Path file = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    Path event = dir.resolve("event.json");
    Files.writeString(event, "{\"id\": 1}");
    assertThat(Main.execute("render", "-c", file.toString(), "--event", event.toString()))
        .isEqualTo(1);
    assertThat(stderr())
        .contains("is not a valid event: field 'id' must be a string, found number");
  }

  private static final String GROUPED =
      ConfigFixtures.VALID
          .replace(
              "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
              "  max-mails-per-recipient: 30/1h\n")
          .replace(
              "    template: overtemp\n",
              "    template: group\n    group-by: [labels.site]\n    group-wait: 10s\n"
                  + "    mute: [{weekdays: [saturday], times: \"00:00-06:00\", timezone: Europe/Berlin}]\n")
          .replace(
              "  overtemp: {",
              "  group: {subject: \"[{{ status | upper }}:{{ firing | length }}] {{ event.type }}\","
                  + " text: t/group.txt}\n  overtemp: {");

  @Test
  void checkConfigShowsEachRoutesNotificationPolicy() throws Exception {
    Path file = ConfigFixtures.write(dir, GROUPED);
    Files.writeString(dir.resolve("t/group.txt"), "x");
    assertThat(Main.execute("check-config", "--offline", "--config", file.toString())).isZero();
    assertThat(stdout())
        .contains("policy:    max-event-age 1h, dedup-window 1d, max-mails-per-recipient 30/1h")
        .contains(
            "group-by [labels.site], group-wait 10s, group-interval 5m, repeat-interval 4h,"
                + " send-resolved true, muted saturday 00:00-06:00 Europe/Berlin")
        .contains("group-by [fingerprint], group-wait 30s");
  }

  @Test
  void renderOfSeveralEventsShowsTheGroupMailThatCarriesThemAll() throws Exception {
    Path file = ConfigFixtures.write(dir, GROUPED);
    Files.writeString(
        dir.resolve("t/group.txt"),
        "{% for a in alerts %}{{ a.labels.sensor }}:{{ a.state }} {% endfor %}");
    List<String> args = new java.util.ArrayList<>(List.of("render", "-c", file.toString()));
    for (String sensor : List.of("t1", "t2", "t3")) {
      Path event = dir.resolve(sensor + ".json");
      Files.writeString(
          event,
          io.alertbridge.event.EventDecoderTestData.OVERTEMP
              .replace("\"id\": \"", "\"id\": \"" + sensor)
              .replace("\"sensor\": \"T3\"", "\"sensor\": \"" + sensor + "\""));
      args.add("--event");
      args.add(event.toString());
    }
    assertThat(Main.execute(args.toArray(new String[0]))).as(stderr()).isZero();
    // One group: one mail to each of its route's two recipients.
    assertThat(stdout().lines().filter(l -> l.startsWith("route ")).count()).isEqualTo(2);
    assertThat(stdout()).contains("Subject: [FIRING:3] overtemp").contains("t1:new t2:new t3:new");
  }
}

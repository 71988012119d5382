package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.alertbridge.rota.Watch;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lists.NAME.rota}: read as the issue writes it, each mistake named (issue 18). */
class RotaConfigTest {
  @TempDir Path dir;

  private static final String PLAIN_LIST =
      "  engine-oncall: [chief.engineer@plant.example, duty.engineer@plant.example]\n";

  private AlertbridgeConfig load(String yaml) throws Exception {
    return new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
  }

  /** The fixture with one more list, {@code watch}, which the default route mails. */
  private static String withList(String watch) {
    return ConfigFixtures.VALID
        .replace(PLAIN_LIST, PLAIN_LIST + "  watch:\n" + watch)
        .replace("to: [ops@plant.example]", "to: [list:watch]");
  }

  private ConfigProblem problem(String watch) {
    ConfigException e = (ConfigException) catchThrowable(() -> load(withList(watch)));
    assertThat(e).as("a configuration error").isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  @Test
  void theIssuesRotasAreReadAndAnswerWhoIsOnWatch() throws Exception {
    AlertbridgeConfig c =
        load(
            withList(
                """
                    rota:
                      timezone: Europe/Berlin
                      shifts:
                        - {start: "00:00", members: [third.officer@plant.example]}
                        - {start: "04:00", members: [chief.officer@plant.example]}
                      overrides:
                        - {from: 2026-12-24T00:00:00+01:00, to: 2026-12-27T00:00:00+01:00, replace: chief.officer@plant.example, with: relief.officer@plant.example}
                  ops-oncall:
                    rota:
                      timezone: Europe/Berlin
                      rotation: {every: 7d, handover: 2026-12-07T09:00:00+01:00, members: [anna@plant.example, ben@plant.example, chen@plant.example]}
                """));

    Watch christmas =
        c.lists()
            .get("watch")
            .rota()
            .compile()
            .at(OffsetDateTime.parse("2026-12-25T05:00:00+01:00").toInstant());
    assertThat(christmas.members()).containsExactly("relief.officer@plant.example");
    Watch second =
        c.lists()
            .get("ops-oncall")
            .rota()
            .compile()
            .at(OffsetDateTime.parse("2026-12-15T09:00:00+01:00").toInstant());
    assertThat(second.members()).containsExactly("ben@plant.example");
    assertThat(c.lists().get("engine-oncall").addresses())
        .containsExactly("chief.engineer@plant.example", "duty.engineer@plant.example");
  }

  @Test
  void twoShiftsWithTheSameStartAreAnError() {
    assertThat(
            problem(
                """
                    rota:
                      timezone: Europe/Berlin
                      shifts:
                        - {start: "04:00", members: [a@plant.example]}
                        - {start: "08:00", members: [b@plant.example]}
                        - {start: "04:00", members: [c@plant.example]}
                """))
        .hasToString(
            "lists.watch.rota.shifts[2].start: must differ from every other shift's start:"
                + " shifts[0] starts then too (found: \"04:00\")");
  }

  @Test
  void anEmptyRotationIsAnError() {
    assertThat(
            problem(
                """
                    rota:
                      timezone: Europe/Berlin
                      rotation: {every: 7d, handover: 2026-12-07T09:00:00+01:00, members: []}
                """))
        .hasToString(
            "lists.watch.rota.rotation.members: must name at least one address (found: [])");
  }

  @Test
  void aShiftWithoutMembersIsAnError() {
    assertThat(
            problem(
                """
                    rota: {timezone: UTC, shifts: [{start: "00:00", members: []}]}
                """))
        .hasToString(
            "lists.watch.rota.shifts[0].members: must name at least one address (found: [])");
  }

  @Test
  void noShiftsAtAllIsAnError() {
    assertThat(problem("    rota: {timezone: UTC, shifts: []}\n"))
        .hasToString("lists.watch.rota.shifts: must have at least one shift (found: [])");
  }

  @Test
  void anOverrideThatEndsBeforeItStartsIsAnError() {
    assertThat(
            problem(
                """
                    rota:
                      timezone: Europe/Berlin
                      shifts: [{start: "00:00", members: [a@plant.example]}]
                      overrides:
                        - {from: 2026-12-27T00:00:00+01:00, to: 2026-12-24T00:00:00+01:00, replace: a@plant.example, with: b@plant.example}
                """))
        .hasToString(
            "lists.watch.rota.overrides[0].to: must be after from (2026-12-27T00:00:00+01:00)"
                + " (found: \"2026-12-24T00:00:00+01:00\")");
  }

  @Test
  void anOverrideForSomeoneNotOnTheRotaIsAnError() {
    assertThat(
            problem(
                """
                    rota:
                      timezone: Europe/Berlin
                      shifts: [{start: "00:00", members: [a@plant.example]}]
                      overrides:
                        - {from: 2026-12-24T00:00, to: 2026-12-25T00:00, replace: x@plant.example, with: b@plant.example}
                """))
        .hasToString(
            "lists.watch.rota.overrides[0].replace: must be a member of the rota, or the override"
                + " never takes effect (found: \"x@plant.example\")");
  }

  @Test
  void aStartThatIsNoTimeOfDayIsAnError() {
    assertThat(
            problem(
                "    rota: {timezone: UTC, shifts: [{start: \"25:00\", members: [a@plant.example]}]}\n"))
        .hasToString(
            "lists.watch.rota.shifts[0].start: must be a time of day HH:MM, from 00:00 to 23:59"
                + " (found: \"25:00\")");
    assertThat(
            problem(
                "    rota: {timezone: UTC, shifts: [{start: \"4pm\", members: [a@plant.example]}]}\n"))
        .hasToString(
            "lists.watch.rota.shifts[0].start: must be a time of day HH:MM, from 00:00 to 23:59"
                + " (found: \"4pm\")");
  }

  @Test
  void aHandoverThatIsNoDateTimeIsAnError() {
    assertThat(
            problem(
                "    rota: {timezone: UTC, rotation: {every: 7d, handover: monday,"
                    + " members: [a@plant.example]}}\n"))
        .hasToString(
            "lists.watch.rota.rotation.handover: must be a date-time such as"
                + " 2026-12-24T00:00:00+01:00 (without an offset: in the rota's timezone)"
                + " (found: \"monday\")");
  }

  @Test
  void anUnknownTimezoneIsAnError() {
    assertThat(
            problem(
                "    rota: {timezone: Mars/Olympus, shifts: [{start: \"00:00\", members: [a@plant.example]}]}\n"))
        .hasToString(
            "lists.watch.rota.timezone: must be an IANA time zone such as Europe/Berlin or UTC"
                + " (found: \"Mars/Olympus\")");
  }

  @Test
  void aMissingTimezoneIsAnError() {
    assertThat(problem("    rota: {shifts: [{start: \"00:00\", members: [a@plant.example]}]}\n"))
        .hasToString(
            "lists.watch.rota.timezone: is required: an IANA time zone such as Europe/Berlin or"
                + " UTC");
  }

  @Test
  void shiftsAndARotationTogetherAreAnError() {
    assertThat(
            problem(
                "    rota: {timezone: UTC, shifts: [{start: \"00:00\", members: [a@plant.example]}],"
                    + " rotation: {every: 7d, handover: 2026-12-07T09:00:00Z, members:"
                    + " [a@plant.example]}}\n"))
        .hasToString("lists.watch.rota: must have shifts or a rotation, not both");
  }

  @Test
  void neitherShiftsNorARotationIsAnError() {
    assertThat(problem("    rota: {timezone: UTC}\n"))
        .hasToString(
            "lists.watch.rota: must have shifts (a repeating day) or a rotation (members in turn)");
  }

  @Test
  void anInvalidMemberIsAnErrorLikeAnyRecipient() {
    assertThat(
            problem(
                "    rota: {timezone: UTC, shifts: [{start: \"00:00\", members: [not-an-address]}]}\n"))
        .extracting(ConfigProblem::path, ConfigProblem::found)
        .containsExactly("lists.watch.rota.shifts[0].members[0]", "\"not-an-address\"");
  }

  @Test
  void aRotationThatNeverHandsOverIsAnError() {
    assertThat(
            problem(
                "    rota: {timezone: UTC, rotation: {every: 0s, handover: 2026-12-07T09:00:00Z,"
                    + " members: [a@plant.example]}}\n"))
        .hasToString("lists.watch.rota.rotation.every: must be longer than zero (found: 0s)");
  }

  @Test
  void anUnknownKeyInARotaIsAnError() {
    assertThat(problem("    rota: {timezone: UTC, shift: []}\n").path())
        .isEqualTo("lists.watch.rota.shift");
  }

  @Test
  void theShippedExampleHasTheShipsWatchesAndAWeeklyRotation() throws Exception {
    AlertbridgeConfig c =
        new ConfigLoader(Map.of()).load(Path.of("../config/alertbridge.yaml").toAbsolutePath());
    Watch christmasMorning =
        c.lists()
            .get("engine-watch")
            .rota()
            .compile()
            .at(OffsetDateTime.parse("2026-12-25T09:00:00+01:00").toInstant());
    assertThat(christmasMorning.members()).containsExactly("relief.officer@plant.example");
    Watch firstWeek =
        c.lists()
            .get("ops-oncall")
            .rota()
            .compile()
            .at(OffsetDateTime.parse("2026-12-08T12:00:00+01:00").toInstant());
    assertThat(firstWeek.members()).containsExactly("anna@plant.example");
  }

  @Test
  void aMappingWithoutARotaIsAnError() {
    assertThat(problem("    {}\n"))
        .hasToString(
            "lists.watch: must be a list of addresses, or a mapping with rota: {timezone, shifts or"
                + " rotation, overrides} (found: {})");
  }
}

package io.alertbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The silence commands' parsing and exit codes; nothing here reaches Kafka. */
class SilenceCommandTest {
  @RegisterExtension final CapturedOutput output = new CapturedOutput();

  private String stderr() {
    return output.stderr();
  }

  private static int add(String... rest) {
    String[] head = {"silence", "add", "--config", "no-such.yaml"};
    String[] args = new String[head.length + rest.length];
    System.arraycopy(head, 0, args, 0, head.length);
    System.arraycopy(rest, 0, args, head.length, rest.length);
    return Main.execute(args);
  }

  @Test
  void aBadMatcherIsAUsageErrorNamingIt() {
    assertThat(add("--duration", "2h", "--author", "anna", "--comment", "c", "colour=red"))
        .isEqualTo(2);
    assertThat(stderr())
        .contains(
            "matcher colour=\"red\": unknown name; use source, type, severity or labels.NAME");
  }

  @Test
  void aMissingCommentIsAUsageError() {
    assertThat(add("--duration", "2h", "--author", "anna", "labels.sensor=T3")).isEqualTo(2);
    assertThat(stderr()).contains("Missing required option: '--comment=TEXT'");
  }

  @Test
  void durationAndEndTogetherAreAUsageError() {
    assertThat(
            add(
                "--duration",
                "2h",
                "--end",
                "2099-01-01T00:00:00Z",
                "--author",
                "anna",
                "--comment",
                "c",
                "labels.sensor=T3"))
        .isEqualTo(2);
    assertThat(stderr()).contains("mutually exclusive");
  }

  @Test
  void neitherDurationNorEndIsAUsageError() {
    assertThat(add("--author", "anna", "--comment", "c", "labels.sensor=T3")).isEqualTo(2);
    assertThat(stderr()).contains("--duration=DURATION", "--end=TIME");
  }

  @Test
  void aBadTimeOrDurationIsAUsageErrorNamingTheForm() {
    assertThat(add("--end", "tomorrow", "--author", "a", "--comment", "c", "type=x")).isEqualTo(2);
    assertThat(stderr())
        .contains("must be a time such as 2026-12-01T22:00:00Z or 2026-12-01T23:00:00+01:00");
    assertThat(add("--duration", "2 hours", "--author", "a", "--comment", "c", "type=x"))
        .isEqualTo(2);
    assertThat(stderr()).contains("must be a duration such as 250ms");
  }

  @Test
  void aSilenceThatBreaksARuleIsRefusedBeforeKafkaIsAsked() {
    assertThat(add("--end", "2020-01-01T00:00:00Z", "--author", "a", "--comment", "c", "type=x"))
        .isEqualTo(2);
    assertThat(stderr()).contains("alertbridge silence add: endsAt 2020-01-01T00:00:00Z: must be");
    assertThat(add("--duration", "2h", "--author", "a", "--comment", "c", "labels.site!=x"))
        .isEqualTo(2);
    assertThat(stderr()).contains("or it silences every alert");
  }

  @Test
  void expireNeedsAnIdAndSilenceNeedsACommand() {
    assertThat(Main.execute("silence", "expire", "--config", "x.yaml")).isEqualTo(2);
    assertThat(Main.execute("silence")).isEqualTo(2);
    assertThat(stderr()).contains("a command is required: add, list, expire or query");
  }

  @Test
  void listWritesAlertmanagerFieldNames() {
    Instant now = Instant.parse("2026-12-01T20:00:00Z");
    Silence s =
        new Silence(
            "id-1",
            List.of(Matcher.parse("labels.sensor=T3"), Matcher.parse("severity!~warn.*")),
            now,
            now.plusSeconds(3600),
            "anna",
            "T3 replaced",
            false,
            now);
    assertThat(SilenceListCommand.json(s, now).toString())
        .isEqualTo(
            "{\"id\":\"id-1\",\"matchers\":[{\"name\":\"labels.sensor\",\"value\":\"T3\","
                + "\"isRegex\":false,\"isEqual\":true},{\"name\":\"severity\",\"value\":\"warn.*\","
                + "\"isRegex\":true,\"isEqual\":false}],\"startsAt\":\"2026-12-01T20:00:00Z\","
                + "\"endsAt\":\"2026-12-01T21:00:00Z\",\"updatedAt\":\"2026-12-01T20:00:00Z\","
                + "\"createdBy\":\"anna\",\"comment\":\"T3 replaced\",\"expireOnResolve\":false,"
                + "\"status\":{\"state\":\"active\"}}");
    assertThat(SilenceListCommand.text(s, now.minusSeconds(60)))
        .startsWith("id-1")
        .contains("pending", "starts 2026-12-01T20:00:00Z", "anna", "\"T3 replaced\"")
        .endsWith("labels.sensor=\"T3\" severity!~\"warn.*\"");
  }
}

package io.alertbridge.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceJsonTest {
  private static final Silence T3 =
      new Silence(
          "7c1d9e7e-3f4a-4b8e-9d5e-0a1b2c3d4e5f",
          List.of(Matcher.parse("labels.sensor=T3"), Matcher.parse("severity=~\"crit.*|\\\"x\"")),
          Instant.parse("2026-12-01T20:00:00Z"),
          Instant.parse("2026-12-01T22:00:00Z"),
          "anna",
          "T3 is being replaced",
          true,
          Instant.parse("2026-12-01T19:59:58.123456Z"));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSilenceReadsBackEqualWithItsMatchersReparsed() throws Exception {
    assertThat(SilenceJson.read(SilenceJson.write(T3))).isEqualTo(T3);
  }

  @Test
  void writesAVersionedRecordWithMatchersAsText() {
    assertThat(new String(SilenceJson.write(T3), StandardCharsets.UTF_8))
        .startsWith("{\"v\":1,\"id\":\"7c1d9e7e-3f4a-4b8e-9d5e-0a1b2c3d4e5f\"")
        .contains("\"matchers\":[\"labels.sensor=\\\"T3\\\"\"");
  }

  @Test
  void refusesAnotherVersion() {
    String json = new String(SilenceJson.write(T3), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SilenceJson.read(utf8(json.replace("\"v\":1", "\"v\":2"))))
        .isInstanceOf(SilenceJson.UnreadableSilenceException.class)
        .hasMessage("version 2, this alertbridge reads version 1");
    assertThatThrownBy(() -> SilenceJson.read(utf8(json.replace("\"v\":1,", ""))))
        .hasMessage("version , this alertbridge reads version 1");
  }

  @Test
  void refusesGarbageAndAnInvalidMatcher() {
    assertThatThrownBy(() -> SilenceJson.read(new byte[] {(byte) 0xff, 0, 1}))
        .isInstanceOf(SilenceJson.UnreadableSilenceException.class)
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> SilenceJson.read(utf8("[1]"))).hasMessage("not a JSON object");
    String json = new String(SilenceJson.write(T3), StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SilenceJson.read(utf8(json.replace("labels.sensor=", "colour="))))
        .hasMessageContaining("unknown name");
    assertThatThrownBy(() -> SilenceJson.read(utf8(json.replace("\"createdBy\"", "\"author\""))))
        .hasMessage("field createdBy missing or not a string");
  }

  @Test
  void refusesToWriteOrReadMoreThanSixtyFourKibibytes() {
    List<Matcher> ms = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      ms.add(Matcher.of("labels.l" + i, Matcher.Op.EQUAL, "\u0001".repeat(1000)));
    }
    Silence big =
        new Silence(T3.id(), ms, T3.startsAt(), T3.endsAt(), "anna", "x", false, T3.updatedAt());
    assertThatThrownBy(() -> SilenceJson.write(big))
        .isInstanceOf(MatcherException.class)
        .hasMessageEndingWith("bytes: at most 65536 are stored");
    assertThatThrownBy(() -> SilenceJson.read(new byte[65537]))
        .hasMessage("value of 65537 bytes, more than 65536");
  }
}

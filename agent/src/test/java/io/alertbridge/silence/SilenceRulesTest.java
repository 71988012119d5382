package io.alertbridge.silence;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilenceRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  private static final Instant LATER = NOW.plusSeconds(7200);
  private static final List<Matcher> T3 = List.of(Matcher.parse("labels.sensor=T3"));

  private static void check(List<Matcher> ms, Instant start, Instant end, String by, String c) {
    SilenceRules.check(ms, start, end, by, c, NOW, 0);
  }

  @Test
  void acceptsASilenceOfOneSensorForTwoHours() {
    assertThatCode(() -> check(T3, NOW, LATER, "anna", "T3 is being replaced"))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesASilenceWithoutMatchers() {
    assertThatThrownBy(() -> check(List.of(), NOW, LATER, "anna", "x"))
        .isInstanceOf(MatcherException.class)
        .hasMessage("matchers []: a silence needs at least one matcher");
  }

  @Test
  void refusesMatchersThatAnAlertWithoutTheFieldPasses() {
    List<Matcher> ms =
        List.of(Matcher.parse("labels.sensor!=T3"), Matcher.parse("labels.site=~\".*\""));
    assertThatThrownBy(() -> check(ms, NOW, LATER, "anna", "x"))
        .isInstanceOf(MatcherException.class)
        .hasMessage(
            "matchers [labels.sensor!=\"T3\", labels.site=~\".*\"]: a silence needs a matcher that"
                + " an alert without the field fails, or it silences every alert");
  }

  @Test
  void refusesMoreThanThirtyTwoMatchers() {
    List<Matcher> ms = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      ms.add(Matcher.parse("labels.l" + i + "=v"));
    }
    assertThatThrownBy(() -> check(ms, NOW, LATER, "anna", "x"))
        .hasMessage("33 matchers: a silence has at most 32");
  }

  @Test
  void refusesAnEndThatIsNotAfterTheStart() {
    assertThatThrownBy(() -> check(T3, LATER, LATER, "anna", "x"))
        .hasMessage("endsAt 2026-12-01T22:00:00Z: must be after startsAt 2026-12-01T22:00:00Z");
  }

  @Test
  void refusesAnEndInThePast() {
    Instant start = NOW.minusSeconds(7200);
    assertThatThrownBy(() -> check(T3, start, NOW.minusSeconds(1), "anna", "x"))
        .hasMessage(
            "endsAt 2026-12-01T19:59:59Z: must be in the future (now 2026-12-01T20:00:00Z)");
  }

  @Test
  void refusesABlankAuthorAndABlankComment() {
    assertThatThrownBy(() -> check(T3, NOW, LATER, " ", "x"))
        .hasMessage("createdBy \" \": required");
    assertThatThrownBy(() -> check(T3, NOW, LATER, "anna", null))
        .hasMessage("comment \"\": required");
  }

  @Test
  void refusesLineBreaksInAuthorOrComment() {
    assertThatThrownBy(() -> check(T3, NOW, LATER, "anna\r\nBcc: x", "x"))
        .hasMessage("createdBy: must be one line, found a line break");
    assertThatThrownBy(() -> check(T3, NOW, LATER, "anna", "one\ntwo"))
        .hasMessage("comment: must be one line, found a line break");
  }

  @Test
  void refusesAnOverlongAuthorOrComment() {
    assertThatThrownBy(() -> check(T3, NOW, LATER, "a".repeat(257), "x"))
        .hasMessage("createdBy of 257 characters: at most 256 are allowed");
    assertThatThrownBy(() -> check(T3, NOW, LATER, "anna", "c".repeat(4097)))
        .hasMessage("comment of 4097 characters: at most 4096 are allowed");
    assertThatCode(() -> check(T3, NOW, LATER, "a".repeat(256), "c".repeat(4096)))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesTheTenThousandAndFirstSilenceInForce() {
    assertThatCode(() -> SilenceRules.check(T3, NOW, LATER, "anna", "x", NOW, 9_999))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> SilenceRules.check(T3, NOW, LATER, "anna", "x", NOW, 10_000))
        .isInstanceOf(MatcherException.class)
        .hasMessage(
            "10000 silences are pending or active: at most 10000 are allowed; expire some first");
  }
}

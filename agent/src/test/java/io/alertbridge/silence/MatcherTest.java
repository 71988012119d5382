package io.alertbridge.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final AlertFields T3 =
      AlertFields.of("engine-room/plc-3", "overtemp", "critical", Map.of("sensor", "T3"));

  @Test
  void parsesTheFourOperatorsWithBareAndQuotedValues() {
    assertThat(Matcher.parse("labels.sensor=T3").matches(T3)).isTrue();
    assertThat(Matcher.parse("labels.sensor!=\"T3\"").matches(T3)).isFalse();
    assertThat(Matcher.parse("severity=~\"critical|major\"").matches(T3)).isTrue();
    assertThat(Matcher.parse("type!~over.*").matches(T3)).isFalse();
    assertThat(Matcher.parse("labels.site=\"a \\\"quoted\\\" site\"").value())
        .isEqualTo("a \"quoted\" site");
  }

  @Test
  void aRegularExpressionMustMatchTheWholeValue() {
    assertThat(Matcher.parse("type=~over").matches(T3)).isFalse();
    assertThat(Matcher.parse("type=~over.*").matches(T3)).isTrue();
  }

  @Test
  void anAbsentFieldIsTheEmptyValue() {
    Matcher hasSite = Matcher.parse("labels.site!=\"\"");
    assertThat(hasSite.matches(T3)).isFalse();
    assertThat(hasSite.matchesEmpty()).isFalse();
    assertThat(Matcher.parse("labels.site=~.*").matchesEmpty()).isTrue();
  }

  @Test
  void unknownNamesAndBrokenSyntaxAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> Matcher.parse("sensor=T3"))
        .isInstanceOf(MatcherException.class)
        .hasMessage(
            "matcher sensor=\"T3\": unknown name; use source, type, severity or labels.NAME");
    assertThatThrownBy(() -> Matcher.parse("labels.sensor")).hasMessageContaining("not NAME=VALUE");
    assertThatThrownBy(() -> Matcher.parse("labels.sensor=~\"(\""))
        .hasMessageContaining("not a valid regular expression");
  }

  @Test
  void regularExpressionsThatWouldStallOrExhaustTheHeapAreRefusedBeforeCompiling() {
    // Overflowed the stack on every match, and exhausted a 512 MB heap when compiled (review).
    assertThatThrownBy(() -> Matcher.parse("labels.x=~\"((a*){1000}){1000}\""))
        .isInstanceOf(MatcherException.class)
        .hasMessageContaining("counted repetitions multiply to more than 1000");
    assertThatThrownBy(() -> Matcher.parse("labels.x=~\"(((a{100}){100}){100}){100}\""))
        .hasMessageContaining("counted repetitions multiply to more than 1000");
    assertThatThrownBy(() -> Matcher.parse("labels.x=~\"" + "a".repeat(257) + "\""))
        .hasMessageContaining("longer than 256 characters");
    assertThat(Matcher.parse("labels.x=~\"T[0-9]{1,3}\"").matchesValue("T12")).isTrue();
    assertThat(Matcher.parse("labels.x=~\"[{]{2}\"").matchesValue("{{")).isTrue();
  }

  @Test
  void printsWhatParseReads() {
    Matcher m = Matcher.parse("labels.room=~\"eng\\\"ine|hold\"");
    assertThat(Matcher.parse(m.toString())).isEqualTo(m);
  }

  @Test
  void aLiteralStartDecidesWithoutTheExpressionAndNeverChangesTheAnswer() {
    assertThat(Matcher.literalPrefix("maintenance/.*")).isEqualTo("maintenance/");
    assertThat(Matcher.literalPrefix("ab*c")).isEqualTo("a");
    assertThat(Matcher.literalPrefix("a|b")).isEmpty();
    assertThat(Matcher.literalPrefix("(x)y")).isEmpty();
    Matcher m = Matcher.parse("source=~\"maintenance/.*\"");
    assertThat(m.matchesValue("maintenance/pump-1")).isTrue();
    assertThat(m.matchesValue("engine-room/plc-3")).isFalse();
    assertThat(Matcher.parse("source!~\"maintenance/.*\"").matchesValue("engine")).isTrue();
    assertThat(Matcher.parse("type=~\"ab?c\"").matchesValue("ac")).isTrue();
  }
}

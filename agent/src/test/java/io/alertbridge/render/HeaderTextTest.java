package io.alertbridge.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeaderTextTest {
  static Stream<Arguments> unsafe() {
    return Stream.of(
        Arguments.of("a\r\nBcc: x@evil.example", "a Bcc: x@evil.example"),
        Arguments.of("a\nb", "a b"),
        Arguments.of("a\rb", "a b"),
        Arguments.of("tab\there", "tab here"),
        Arguments.of("nul\u0000byte", "nul byte"),
        Arguments.of("line\u2028sep", "line sep"),
        Arguments.of("  padded  ", "padded"),
        Arguments.of("del\u007Fchar", "del char"),
        Arguments.of("c1\u0085next", "c1 next"));
  }

  @ParameterizedTest
  @MethodSource("unsafe")
  void replacesControlCharactersWithASpace(String raw, String expected) {
    assertThat(HeaderText.sanitize(raw)).isEqualTo(expected);
  }

  @Test
  void capsTheLength() {
    String s = HeaderText.sanitize("x".repeat(1000));
    assertThat(s).hasSize(HeaderText.MAX_LENGTH).endsWith("\u2026");
  }
}

package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.AuthenticationResults.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The grammar of RFC 8601 §2.2, with the examples of its Appendix B and real servers' headers. */
class AuthenticationResultsTest {

  @Test
  void readsAuthservIdAndMethodResultsWithProperties() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
                "mx.plant.example; dkim=pass header.d=plant.example header.s=s1;"
                    + " dmarc=pass header.from=plant.example")
            .orElseThrow();
    assertThat(ar.authservId()).isEqualTo("mx.plant.example");
    assertThat(ar.results())
        .containsExactly(
            new Result("dkim", "pass", null, Map.of("header.d", "plant.example", "header.s", "s1")),
            new Result("dmarc", "pass", null, Map.of("header.from", "plant.example")));
  }

  @Test
  void skipsNestedCommentsAndFoldingWhiteSpace() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
                "  mx.plant.example (Postfix (with (nested)) comments);\r\n"
                    + "\tspf=pass (mx: domain of a@b designates 192.0.2.1 as permitted sender)\r\n"
                    + "\t smtp.mailfrom=a@plant.example (the \\) escaped paren)")
            .orElseThrow();
    assertThat(ar.results()).hasSize(1);
    assertThat(ar.results().get(0).method()).isEqualTo("spf");
    assertThat(ar.results().get(0).property("smtp.mailfrom")).contains("a@plant.example");
  }

  @Test
  void readsVersionReasonQuotedStringsAndMethodVersions() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
                "\"mx.plant.example\" 1; dkim/1=FAIL reason=\"signature did not verify\""
                    + " header.i=@plant.example header.b=\"Ab/c+d==\"")
            .orElseThrow();
    Result dkim = ar.results().get(0);
    assertThat(ar.authservId()).isEqualTo("mx.plant.example");
    assertThat(dkim.method()).isEqualTo("dkim");
    assertThat(dkim.result()).isEqualTo("fail");
    assertThat(dkim.reason()).isEqualTo("signature did not verify");
    assertThat(dkim.property("HEADER.I")).contains("@plant.example");
    assertThat(dkim.property("header.b")).contains("Ab/c+d==");
  }

  @Test
  void readsAnUnquotedSignatureFragmentWithSlashesAndEquals() {
    Result dkim =
        AuthenticationResults.parse("mx.example; dkim=pass header.i=@gmail.com header.b=Ab/c+d=")
            .orElseThrow()
            .results()
            .get(0);
    assertThat(dkim.property("header.b")).contains("Ab/c+d=");
  }

  @Test
  void readsNoResult() {
    assertThat(AuthenticationResults.parse("mx.plant.example 1; none").orElseThrow().results())
        .isEmpty();
    assertThat(AuthenticationResults.parse("mx.plant.example;").orElseThrow().results()).isEmpty();
  }

  @Test
  void toleratesExchangeOnlinesUngrammaticalActionProperty() {
    AuthenticationResults ar =
        AuthenticationResults.parse(
                "mx.plant.example; dmarc=pass action=none header.from=contoso.example;"
                    + " compauth=pass reason=100")
            .orElseThrow();
    assertThat(ar.results()).extracting(Result::method).containsExactly("dmarc", "compauth");
    assertThat(ar.results().get(0).property("header.from")).contains("contoso.example");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=contoso.example; dmarc=pass",
        "mx.example; dkim",
        "mx.example; dkim=",
        "mx.example; dkim=pass header",
        "mx.example; dkim=pass (unterminated comment",
        "mx.example; dkim=pass header.d=\"unterminated",
        "mx.example dmarc=pass",
        ""
      })
  void rejectsWhatDoesNotFollowTheGrammar(String value) {
    assertThat(AuthenticationResults.parse(value)).isEmpty();
  }

  @Test
  void rejectsNull() {
    assertThat(AuthenticationResults.parse(null)).isEmpty();
  }
}

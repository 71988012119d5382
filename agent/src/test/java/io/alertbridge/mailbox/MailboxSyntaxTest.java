package io.alertbridge.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mailbox grammar of RFC 5321 §4.1.2 and §4.1.3, with RFC 6531's UTF-8 extension, as a table:
 * each row is an address, whether it is valid (and needs SMTPUTF8), and for an invalid one the
 * reason alertbridge must give.
 */
class MailboxSyntaxTest {
  private static final String VALID = "valid";
  private static final String UTF8 = "valid, needs SMTPUTF8";

  private static Arguments ok(String address) {
    return Arguments.of(address, VALID, null);
  }

  private static Arguments utf8(String address) {
    return Arguments.of(address, UTF8, null);
  }

  private static Arguments bad(String address, String reason) {
    return Arguments.of(address, "invalid", reason);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // Dot-string local parts (atoms of atext joined by single dots)
        ok("ops@plant.example"),
        ok("chief.engineer@plant.example"),
        ok("user+tag@example.com"),
        ok("x@a.io"),
        ok("first.middle.last@sub.plant.example"),
        ok("!#$%&'*+-/=?^_`{|}~@example.org"),
        ok("0123456789@example.com"),
        ok("UPPER.case@EXAMPLE.COM"),
        // Quoted-string local parts
        ok("\"john doe\"@example.com"),
        ok("\"a@b\"@example.com"),
        ok("\"john..doe\"@example.org"),
        ok("\"quoted\\\"quote\"@example.com"),
        ok("\"back\\\\slash\"@example.com"),
        ok("\" \"@example.org"),
        // Domains
        ok("user@localhost"),
        ok("user@123.example"),
        ok("user@a-b.example"),
        ok("user@xn--bcher-kva.example"),
        ok("user@bücher.example"),
        ok("user@" + "a".repeat(63) + ".example"),
        // Address literals (RFC 5321 §4.1.3)
        ok("user@[192.0.2.1]"),
        ok("user@[255.255.255.255]"),
        ok("user@[IPv6:2001:db8::1]"),
        ok("user@[IPv6:2001:db8:0:0:0:0:0:1]"),
        ok("user@[IPv6:::1]"),
        ok("user@[IPv6:::ffff:192.0.2.1]"),
        // Internationalised (RFC 6531): a UTF-8 local part needs SMTPUTF8
        utf8("jürgen@bücher.example"),
        utf8("用户@例子.广告"),
        utf8("अजय@डाटा.भारत"),
        utf8("квіточка@пошта.укр"),
        utf8("θσερ@εχαμπλε.ψομ"),
        utf8("Dörte@Sörensen.example.com"),
        // Not a mailbox at all
        bad("", "address is empty"),
        bad("plainaddress", "has no '@' separating local part and domain"),
        bad("Joe <j@example.com>", "display names and angle brackets are not part of a mailbox"),
        bad("<j@example.com>", "display names and angle brackets are not part of a mailbox"),
        bad("@relay:u@example.com", "source routes (@host:) are not allowed in a mailbox"),
        bad("@a,@b:u@example.com", "source routes (@host:) are not allowed in a mailbox"),
        bad("u(comment)@example.com", "comments are not allowed in a mailbox"),
        bad("u@example.com(comment)", "comments are not allowed in a mailbox"),
        // Local part errors
        bad("@example.com", "local part is empty"),
        bad(
            "Abc\\@def@example.com",
            "backslash escapes are only allowed inside a quoted local part"),
        bad("a\\ b@example.com", "backslash escapes are only allowed inside a quoted local part"),
        bad(".dot@example.com", "local part has an empty atom (leading, trailing or double dot)"),
        bad("dot.@example.com", "local part has an empty atom (leading, trailing or double dot)"),
        bad(
            "two..dots@example.com",
            "local part has an empty atom (leading, trailing or double dot)"),
        bad("a b@example.com", "local part contains a space, which needs quoting"),
        bad("user@@example.com", "local part contains '@', which needs quoting"),
        bad("a,b@example.com", "local part contains ',', which needs quoting"),
        bad("a[b]@example.com", "local part contains '[', which needs quoting"),
        bad("a\"b@example.com", "local part contains '\"', which needs quoting"),
        bad("\"unclosed@example.com", "quoted local part is not closed by a double quote"),
        bad("\"a\"b@example.com", "text follows the closing double quote of the local part"),
        bad(
            "\"a\\\u00e9\"@example.com",
            "backslash in a quoted local part must escape a printable ASCII character"),
        bad("a".repeat(65) + "@example.com", "local part is 65 octets long; the limit is 64"),
        bad("ü".repeat(33) + "@example.com", "local part is 66 octets long; the limit is 64"),
        // Domain errors
        bad("u@", "domain is empty"),
        bad("user@example.com@", "domain is empty"),
        bad("u@example..com", "domain has an empty label"),
        bad("u@.example.com", "domain has an empty label"),
        bad("u@example.com.", "domain ends with a dot"),
        bad("u@-example.com", "domain label '-example' starts or ends with a hyphen"),
        bad("u@example-.com", "domain label 'example-' starts or ends with a hyphen"),
        bad("u@exa_mple.com", "domain label 'exa_mple' contains '_'"),
        bad("u@exam ple.com", "domain label 'exam ple' contains ' '"),
        bad(
            "u@" + "a".repeat(64) + ".example",
            "domain label '" + "a".repeat(64) + "' is 64 octets long; the limit is 63"),
        bad("u@-bücher.example", "domain label '-bücher' is not a valid internationalised label"),
        // Address literal errors
        bad("u@[300.1.1.1]", "address literal '[300.1.1.1]' is neither IPv4 nor IPv6"),
        bad("u@[192.0.2]", "address literal '[192.0.2]' is neither IPv4 nor IPv6"),
        bad("u@[IPv6:2001:db8::1::2]", "'2001:db8::1::2' is not an IPv6 address"),
        bad("u@[IPv6:2001:db8::g]", "'2001:db8::g' is not an IPv6 address"),
        bad("u@[IPv6:1:2:3:4:5:6:7:8:9]", "'1:2:3:4:5:6:7:8:9' is not an IPv6 address"),
        bad("u@[192.0.2.1", "address literal is not closed by ']'"),
        // Control characters, even inside quotes (they would end an SMTP command)
        bad("a\r\nb@example.com", "contains control character U+000D"),
        bad("a\nb@example.com", "contains control character U+000A"),
        bad("ab@exam\u0000ple.com", "contains control character U+0000"),
        bad("\"a\r\nb\"@example.com", "contains control character U+000D"),
        bad("tab\there@example.com", "contains control character U+0009"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("table")
  void followsTheRfcGrammar(String address, String expected, String reason) {
    MailboxSyntax.Result r = MailboxSyntax.check(address);
    if (reason == null) {
      assertThat(r.reasons()).isEmpty();
      assertThat(r.valid()).isTrue();
      assertThat(r.smtputf8()).isEqualTo(expected.equals(UTF8));
    } else {
      assertThat(r.valid()).isFalse();
      assertThat(r.reasons()).contains(reason);
    }
  }

  @Test
  void theTableCoversAtLeastSixtyAddresses() {
    assertThat(table().count()).isGreaterThanOrEqualTo(60);
  }

  @Test
  void limitsTheWholeAddressTo254Octets() {
    String domain =
        String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
    MailboxSyntax.Result r = MailboxSyntax.check("u".repeat(10) + "@" + domain);
    assertThat(r.valid()).isFalse();
    assertThat(r.reasons()).containsExactly("address is 265 octets long; the limit is 254");
  }

  @Test
  void reportsTheAsciiFormOfAnInternationalisedDomain() {
    assertThat(MailboxSyntax.check("jürgen@bücher.example").asciiDomain())
        .contains("xn--bcher-kva.example");
    assertThat(MailboxSyntax.check("ops@bücher.example").smtputf8()).isFalse();
  }
}

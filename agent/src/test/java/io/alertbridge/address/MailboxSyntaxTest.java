package io.alertbridge.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxSyntaxTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ops@plant.example",
        "chief.engineer@plant.example",
        "user+tag@example.com",
        "x@a.io",
        "!#$%&'*+-/=?^_`{|}~@example.org",
        "\"john doe\"@example.com",
        "\"a@b\"@example.com",
        "\"quoted\\\"quote\"@example.com",
        "user@[192.0.2.1]",
        "user@[IPv6:2001:db8::1]",
        "user@[IPv6:::ffff:192.0.2.1]",
        "user@xn--bcher-kva.example",
        "user@sub-domain.example-host.com",
      })
  void acceptsValidMailboxes(String address) {
    MailboxSyntax.Result r = MailboxSyntax.check(address);
    assertThat(r.reasons()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(r.smtputf8()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|address is empty",
        "plainaddress|has no '@' separating local part and domain",
        "Joe <j@example.com>|display names and angle brackets are not part of a mailbox",
        "@relay:u@example.com|source routes (@host:) are not allowed in a mailbox",
        "Abc\\@def@example.com|backslash escapes are only allowed inside a quoted local part",
        ".dot@example.com|local part has an empty atom (leading, trailing or double dot)",
        "dot.@example.com|local part has an empty atom (leading, trailing or double dot)",
        "two..dots@example.com|local part has an empty atom (leading, trailing or double dot)",
        "u(comment)@example.com|comments are not allowed in a mailbox",
        "a b@example.com|display names and angle brackets are not part of a mailbox",
        "u@|domain is empty",
        "@example.com|source routes (@host:) are not allowed in a mailbox",
        "u@example..com|domain has an empty label",
        "u@-example.com|domain label '-example' starts or ends with a hyphen",
        "u@example-.com|domain label 'example-' starts or ends with a hyphen",
        "u@example.com.|domain ends with a dot",
        "u@exa_mple.com|domain label 'exa_mple' contains '_'",
        "u@[300.1.1.1]|address literal '[300.1.1.1]' is neither IPv4 nor IPv6",
        "u@[IPv6:2001:db8::1::2]|'2001:db8::1::2' is not an IPv6 address",
        "u@[192.0.2.1|address literal is not closed by ']'",
        "\"unclosed@example.com|quoted local part is not closed by a double quote",
      })
  void rejectsInvalidMailboxesSayingWhy(String address, String reason) {
    MailboxSyntax.Result r = MailboxSyntax.check(address);
    assertThat(r.valid()).isFalse();
    assertThat(r.reasons()).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\r\nb@example.com",
        "a\nb@example.com",
        "ab@exam\u0000ple.com",
        "\"a\r\nb\"@example.com"
      })
  void rejectsControlCharactersAnywhereEvenInsideQuotes(String address) {
    MailboxSyntax.Result r = MailboxSyntax.check(address);
    assertThat(r.valid()).isFalse();
    assertThat(r.reasons().get(0)).startsWith("contains control character U+");
  }

  @ParameterizedTest
  @CsvSource({"64,true", "65,false"})
  void limitsTheLocalPartTo64Octets(int length, boolean valid) {
    assertThat(MailboxSyntax.check("a".repeat(length) + "@example.com").valid()).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({"63,true", "64,false"})
  void limitsALabelTo63Octets(int length, boolean valid) {
    assertThat(MailboxSyntax.check("u@" + "a".repeat(length) + ".example").valid())
        .isEqualTo(valid);
  }

  @org.junit.jupiter.api.Test
  void limitsTheWholeAddressTo254Octets() {
    String domain =
        String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
    MailboxSyntax.Result r = MailboxSyntax.check("u".repeat(10) + "@" + domain);
    assertThat(r.valid()).isFalse();
    assertThat(r.reasons()).containsExactly("address is 265 octets long; the limit is 254");
  }

  @org.junit.jupiter.api.Test
  void flagsInternationalisedAddressesAndReportsTheAsciiDomain() {
    MailboxSyntax.Result r = MailboxSyntax.check("jürgen@bücher.example");
    assertThat(r.valid()).isTrue();
    assertThat(r.smtputf8()).isTrue();
    assertThat(r.asciiDomain()).contains("xn--bcher-kva.example");
  }
}

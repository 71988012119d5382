package io.alertbridge.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope a mail may carry: checked when the mail is made, not when a server sees it. */
class OutgoingMailTest {
  private static OutgoingMail with(String envelopeFrom, String envelopeId) throws Exception {
    OutgoingMail m = TestMails.mail("<m1@test>", "x", "a@plant.example");
    return new OutgoingMail(m.message(), m.messageId(), envelopeFrom, m.recipients(), envelopeId);
  }

  @Test
  void theFourPartMailAsksForNoNotifications() throws Exception {
    assertThat(TestMails.mail("<m1@test>", "x", "a@plant.example").dsnEnvelopeId()).isNull();
  }

  @Test
  void acceptsAnEnvelopeIdOfOneHundredPrintableCharacters() throws Exception {
    String id = "!~" + "a".repeat(98);
    assertThat(with("bounces@plant.example", id).dsnEnvelopeId()).isEqualTo(id);
  }

  @Test
  void refusesAnEnvelopeIdLongerThanRfc3461Allows() {
    assertThatThrownBy(() -> with("bounces@plant.example", "a".repeat(101)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a DSN envelope id must have 1 to 100 characters (RFC 3461 §4.4), found 101");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a+b", "a=b", "a\rb", "a\nb", "a\tb", "aéb"})
  void refusesAnEnvelopeIdThatIsNotXtextSafe(String id) {
    assertThatThrownBy(() -> with("bounces@plant.example", id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "a DSN envelope id must be printable ASCII without space, '+' or '=' (RFC 3461 §4"
                + " xtext), found character 0x")
        .hasMessageEndingWith(" at index 1");
  }

  @Test
  void refusesAnEmptyEnvelopeId() {
    assertThatThrownBy(() -> with("bounces@plant.example", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a DSN envelope id must have 1 to 100 characters (RFC 3461 §4.4), found 0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bounces@plant.example\r\nRCPT TO:<x@evil.example>",
        "bounces@plant.example\n",
        "<bounces@plant.example>"
      })
  void refusesAnEnvelopeSenderThatWouldBreakTheCommandLine(String from) {
    assertThatThrownBy(() -> with(from, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the envelope sender must be a bare address without CR, LF or angle brackets");
  }

  @Test
  void xtextEncodesEveryCharacterOutsideTheSafeRange() {
    assertThat(DsnParameters.xtext("a+b=c d\u007f!~")).isEqualTo("a+2Bb+3Dc+20d+7F!~");
  }

  @Test
  void anInternationalisedRecipientIsAskedForWithoutAnOriginalRecipient() {
    assertThat(DsnParameters.rcptTo("jörg@plant.example")).isEqualTo(" NOTIFY=FAILURE,DELAY");
  }
}

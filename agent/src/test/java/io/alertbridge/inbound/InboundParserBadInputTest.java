package io.alertbridge.inbound;

import static io.alertbridge.inbound.Mails.REPLY_ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import io.alertbridge.inbound.Inbound.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Broken encodings, headers and bytes: a verdict every time, never an exception. */
class InboundParserBadInputTest {
  private static final String HEADERS =
      "From: Third Officer <third.officer@plant.example>\nTo: "
          + REPLY_ADDRESS
          + "\nMessage-ID: <bad@plant.example>\n";

  @Test
  void rejectsBrokenBase64AsMalformed() {
    Inbound result =
        Mails.parseRaw(
            HEADERS + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nYWNr=Y\n");
    assertThat(result).isInstanceOf(Rejected.class);
    Rejected r = (Rejected) result;
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(r.messageId()).isEqualTo("<bad@plant.example>");
  }

  @Test
  void readsBase64WithCharactersOutsideTheAlphabetBestEffort() {
    // RFC 2045 §6.8: characters outside the alphabet are ignored.
    Inbound result =
        Mails.parseRaw(
            HEADERS + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nYW!N!r\n");
    assertThat(result).isInstanceOf(Reply.class);
  }

  @Test
  void readsBrokenQuotedPrintableBestEffort() {
    // An invalid escape stays as it was written; the first line is still readable.
    Inbound result =
        Mails.parseRaw(
            HEADERS
                + "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "ack=20\n=ZZ broken =4");
    assertThat(result).isInstanceOf(Reply.class);
  }

  @Test
  void rejectsAnUnknownTransferEncodingAsMalformed() {
    Rejected r =
        (Rejected)
            Mails.parseRaw(
                HEADERS
                    + "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode7\n\nack\n");
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(r.detail()).isEqualTo("IOException: Unknown encoding: x-uuencode7");
  }

  @Test
  void readsAnUnknownCharsetAsUtf8() {
    Inbound result =
        Mails.parseRaw(HEADERS + "Content-Type: text/plain; charset=x-no-such-charset\n\nack\n");
    assertThat(result).isInstanceOf(Reply.class);
  }

  @Test
  void readsInvalidUtf8BestEffort() {
    byte[] raw =
        (HEADERS + "Content-Type: text/plain; charset=utf-8\n\nack\n\u0000")
            .getBytes(StandardCharsets.ISO_8859_1);
    raw[raw.length - 1] = (byte) 0xC3;
    assertThat(Mails.parser().parse(raw)).isInstanceOf(Reply.class);
  }

  @Test
  void rejectsAMultipartWithoutBoundaryAsMalformed() {
    Rejected r = (Rejected) Mails.parseRaw(HEADERS + "Content-Type: multipart/mixed\n\nack\n");
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void readsAnUnparsableContentTypeAsPlainText() {
    // RFC 2045 §5.2: a syntactically invalid Content-Type means text/plain.
    assertThat(Mails.parseRaw(HEADERS + "Content-Type: ;;;=\"\n\nack\n")).isInstanceOf(Reply.class);
  }

  @Test
  void rejectsAnUnparsableFromAsMalformed() {
    Rejected r = (Rejected) Mails.parseRaw("From: <<<@@@\nTo: " + REPLY_ADDRESS + "\n\nack\n");
    assertThat(r.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(r.detail()).isEqualTo("From is not a valid address");
  }

  @Test
  void givesAVerdictForEmptyAndHeaderlessInput() {
    assertThat(Mails.parseRaw("")).isInstanceOf(Rejected.class);
    assertThat(Mails.parseRaw("\n\n\nack\n")).isInstanceOf(Rejected.class);
  }

  @Test
  void neverThrowsOnRandomlyDamagedFixtures() {
    Random random = new Random(18);
    List<String> fixtures =
        List.of(
            "postfix-dsn-failed.eml",
            "postfix-dsn-delayed.eml",
            "exchange-ndr.eml",
            "outlook-out-of-office.eml",
            "gmail-reply-quoted.eml",
            "reply-ack-dot-outlook.eml");
    InboundParser parser = Mails.parser("mx.plant.example");
    for (String name : fixtures) {
      byte[] original = Mails.fixture(name);
      for (int round = 0; round < 60; round++) {
        byte[] damaged = original.clone();
        for (int k = 0; k < 1 + random.nextInt(20); k++) {
          damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        }
        int cut = random.nextInt(damaged.length + 1);
        byte[] input = random.nextBoolean() ? damaged : Arrays.copyOf(damaged, cut);
        assertThatCode(() -> assertThat(parser.parse(input)).isNotNull())
            .as("%s round %d", name, round)
            .doesNotThrowAnyException();
      }
    }
  }
}

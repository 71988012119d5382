package io.alertbridge.ack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AckTokensTest {
  private static final TokenKey KEY =
      TokenKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "test");
  private static final TokenKey OTHER_KEY =
      TokenKey.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), "other");
  private static final IncidentRef REF =
      IncidentRef.of(7, "engine-critical:0a1b2c3d4e", 1_796_000_000_000L);

  private final MailTokens tokens = new MailTokens(KEY);

  @Test
  void replyTokenFitsALocalPartAndNamesItsIncident() {
    String t = tokens.issue(MailTokens.Purpose.REPLY, REF, "Chief.Engineer@plant.example");
    assertThat(t).hasSize(MailTokens.LENGTH).matches("[a-z2-7]+");
    assertThat(("alerts+" + t).length()).isLessThanOrEqualTo(64);
    assertThat(MailTokens.ref(t)).contains(REF);
    assertThat(REF.names("engine-critical:0a1b2c3d4e", 1_796_000_000_000L)).isTrue();
    assertThat(REF.names("engine-critical:0a1b2c3d4e", 1_796_000_000_001L)).isFalse();
  }

  @Test
  void replyTokenVerifiesOnlyForItsRecipientAndPurpose() {
    String t = tokens.issue(MailTokens.Purpose.REPLY, REF, "chief.engineer@plant.example");
    assertThat(tokens.verify(MailTokens.Purpose.REPLY, t, "CHIEF.ENGINEER@plant.example")).isTrue();
    assertThat(tokens.verify(MailTokens.Purpose.REPLY, t, "third.officer@plant.example")).isFalse();
    assertThat(tokens.verify(MailTokens.Purpose.BOUNCE, t, "chief.engineer@plant.example"))
        .isFalse();
    assertThat(
            new MailTokens(OTHER_KEY)
                .verify(MailTokens.Purpose.REPLY, t, "chief.engineer@plant.example"))
        .isFalse();
  }

  @Test
  void alteredOrMisshapenTokensDoNotVerify() {
    String t = tokens.issue(MailTokens.Purpose.REPLY, REF, "a@plant.example");
    char c = t.charAt(20) == 'a' ? 'b' : 'a';
    String altered = t.substring(0, 20) + c + t.substring(21);
    assertThat(tokens.verify(MailTokens.Purpose.REPLY, altered, "a@plant.example")).isFalse();
    assertThat(tokens.verify(MailTokens.Purpose.REPLY, t + "a", "a@plant.example")).isFalse();
    assertThat(MailTokens.ref("not a token!")).isEmpty();
    assertThat(MailTokens.ref(null)).isEmpty();
    assertThat(MailTokens.redact(t)).hasSize(7).doesNotContain(t.substring(6));
  }

  @Test
  void linkCarriesRecipientAndActionAndExpires() {
    AckLinks links = new AckLinks(KEY);
    Instant expires = Instant.parse("2026-12-02T03:00:00Z");
    String t = links.issue(REF, "Anna@plant.example", AckLinks.Action.ACK, expires);
    assertThat(t).matches("[A-Za-z0-9_-]+");
    AckLinks.Checked ok = links.verify(t, expires.minusSeconds(1));
    assertThat(ok.ok()).isTrue();
    assertThat(ok.link().ref()).isEqualTo(REF);
    assertThat(ok.link().recipient()).isEqualTo("anna@plant.example");
    assertThat(ok.link().action()).isEqualTo(AckLinks.Action.ACK);
    assertThat(links.verify(t, expires).refusal()).isEqualTo(AckLinks.Refusal.EXPIRED);
  }

  @Test
  void alteredLinkIsRefused() {
    AckLinks links = new AckLinks(KEY);
    Instant expires = Instant.parse("2026-12-02T03:00:00Z");
    String t = links.issue(REF, "anna@plant.example", AckLinks.Action.ACK, expires);
    byte[] b = Base64.getUrlDecoder().decode(t);
    b[b.length - 20] ^= 1; // a letter of the recipient
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    Instant before = expires.minusSeconds(60);
    assertThat(links.verify(altered, before).refusal()).isEqualTo(AckLinks.Refusal.ALTERED);
    assertThat(new AckLinks(OTHER_KEY).verify(t, before).refusal())
        .isEqualTo(AckLinks.Refusal.ALTERED);
    assertThat(links.verify("%%%", before).refusal()).isEqualTo(AckLinks.Refusal.MALFORMED);
    assertThat(links.verify("AAAA", before).refusal()).isEqualTo(AckLinks.Refusal.MALFORMED);
  }

  @Test
  void shortKeyIsRefusedAndKeyNeverPrinted() {
    assertThatThrownBy(() -> TokenKey.of(new byte[31], "/run/secrets/ack"))
        .hasMessage("/run/secrets/ack: the key has 31 bytes, at least 32 are needed");
    assertThat(KEY.toString()).isEqualTo("TokenKey[test]").doesNotContain("0123456789");
  }

  @Test
  void base32RoundTrips() {
    byte[] data = new byte[24];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37 + 11);
    }
    assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
    assertThat(Base32.decode("a1")).isNull();
  }
}

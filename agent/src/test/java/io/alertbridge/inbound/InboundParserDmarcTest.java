package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import io.alertbridge.inbound.Inbound.Reply;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** With {@code trusted-authserv-id} set, only that server's Authentication-Results count. */
class InboundParserDmarcTest {
  private static final String TRUSTED = "mx.plant.example";
  private final InboundParser parser = Mails.parser(TRUSTED);

  private static MimeMessage replyWith(String... authenticationResults) throws Exception {
    MimeMessage m = Mails.reply("ack");
    for (String h : authenticationResults) {
      m.addHeader("Authentication-Results", h);
    }
    return m;
  }

  @Test
  void acceptsDmarcPassFromTheTrustedServer() {
    Reply reply = (Reply) parser.parse(Mails.fixture("gmail-reply-quoted.eml"));
    assertThat(reply.auth())
        .isEqualTo(new Inbound.Authentication(true, true, "dmarc=pass from mx.plant.example"));
  }

  @Test
  void comparesTheAuthservIdCaseInsensitively() throws Exception {
    assertThat(parser.parse(replyWith("MX.Plant.Example; dmarc=pass header.from=plant.example")))
        .isInstanceOf(Reply.class);
  }

  @Test
  void acceptsAnAlignedDkimPassWithoutADmarcResult() throws Exception {
    Reply reply =
        (Reply) parser.parse(replyWith("mx.plant.example; dkim=pass header.d=mail.plant.example"));
    assertThat(reply.auth().detail())
        .isEqualTo("dkim=pass for mail.plant.example, aligned with From, from mx.plant.example");
  }

  @Test
  void acceptsAnAlignedDkimPassByItsHeaderIAddress() throws Exception {
    assertThat(parser.parse(replyWith("mx.plant.example; dkim=pass header.i=@plant.example")))
        .isInstanceOf(Reply.class);
  }

  @Test
  void rejectsADkimPassForAnotherDomain() throws Exception {
    Rejected r =
        (Rejected)
            parser.parse(replyWith("mx.plant.example; dkim=pass header.d=plant.example.evil.test"));
    assertThat(r.reason()).isEqualTo(Reason.DMARC_FAIL);
    assertThat(r.detail())
        .isEqualTo("neither dmarc=pass nor an aligned dkim=pass from mx.plant.example");
  }

  @Test
  void rejectsAReplyWithoutAuthenticationResults() throws Exception {
    Rejected r = (Rejected) parser.parse(replyWith());
    assertThat(r.reason()).isEqualTo(Reason.DMARC_FAIL);
    assertThat(r.detail()).isEqualTo("no Authentication-Results from mx.plant.example");
  }

  @Test
  void ignoresAPassClaimedByAnotherServer() throws Exception {
    Rejected r =
        (Rejected)
            parser.parse(
                replyWith(
                    "mx.evil.test; dmarc=pass header.from=plant.example",
                    "mx.plant.example; dmarc=fail header.from=plant.example"));
    assertThat(r.detail()).isEqualTo("dmarc=fail from mx.plant.example");
  }

  @Test
  void aForgedPassUnderTheTrustedIdCannotOutvoteTheRealFail() throws Exception {
    // The receiving server's header is on top; the sender's forgery travels below it.
    Rejected r =
        (Rejected)
            parser.parse(
                replyWith(
                    "mx.plant.example; dmarc=fail (p=reject) header.from=plant.example",
                    "mx.plant.example; dmarc=pass header.from=plant.example"));
    assertThat(r.reason()).isEqualTo(Reason.DMARC_FAIL);
  }

  @Test
  void readsSeparateHeadersOfOneServerTogether() throws Exception {
    // OpenDKIM and OpenDMARC each add their own header with the same authserv-id.
    assertThat(
            parser.parse(
                replyWith(
                    "mx.plant.example; dmarc=none header.from=plant.example",
                    "mx.plant.example; dkim=pass header.d=plant.example")))
        .isInstanceOf(Reply.class);
    assertThat(
            parser.parse(
                replyWith(
                    "mx.plant.example; spf=pass smtp.mailfrom=plant.example",
                    "mx.plant.example; dkim=pass header.d=plant.example")))
        .isInstanceOf(Reply.class);
  }

  @Test
  void aTemporaryDmarcErrorIsNoPass() throws Exception {
    Rejected r =
        (Rejected)
            parser.parse(
                replyWith("mx.plant.example; dmarc=temperror; dkim=pass header.d=plant.example"));
    assertThat(r.detail()).isEqualTo("dmarc=temperror from mx.plant.example");
  }

  @Test
  void treatsAnUnparsableTrustedHeaderAsAbsent() throws Exception {
    assertThat(((Rejected) parser.parse(replyWith("mx.plant.example dmarc=pass"))).detail())
        .isEqualTo("no Authentication-Results from mx.plant.example");
  }

  @Test
  void alignsEqualDomainsAndSubdomainsButNotTopLevelDomains() {
    assertThat(Dmarc.aligns("plant.example", "plant.example")).isTrue();
    assertThat(Dmarc.aligns("mail.plant.example", "plant.example")).isTrue();
    assertThat(Dmarc.aligns("plant.example", "ship.plant.example")).isTrue();
    assertThat(Dmarc.aligns("example", "plant.example")).isFalse();
    assertThat(Dmarc.aligns("evilplant.example", "plant.example")).isFalse();
    assertThat(Dmarc.aligns("", "plant.example")).isFalse();
  }
}

package io.alertbridge.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Messages for the parser's tests: the .eml fixtures, and messages built in code. */
final class Mails {
  static final String REPLY_TOKEN = "k7q2m4x5r6t2w3y4z5a6b7c2d3";
  static final String BOUNCE_TOKEN = "b2c3d4e5f6g7h2i3j4k5";
  static final String REPLY_TEMPLATE = "alerts+{token}@alertbridge.plant.example";
  static final String BOUNCE_TEMPLATE = "bounces+{token}@alertbridge.plant.example";
  static final String REPLY_ADDRESS = "alerts+" + REPLY_TOKEN + "@alertbridge.plant.example";
  static final String BOUNCE_ADDRESS = "bounces+" + BOUNCE_TOKEN + "@alertbridge.plant.example";
  static final String ALERT_ID =
      "<20261201031208.n-01JF3A7Q9ZK2V8X4M6B5C1D0E2@alertbridge.plant.example>";
  static final Session SESSION = Session.getInstance(new Properties());

  private Mails() {}

  static InboundParser parser() {
    return parser(null);
  }

  static InboundParser parser(String trustedAuthservId) {
    return new InboundParser(
        InboundLimits.defaults(), REPLY_TEMPLATE, BOUNCE_TEMPLATE, trustedAuthservId);
  }

  static byte[] fixture(String name) {
    try (InputStream in = Mails.class.getResourceAsStream("/inbound/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Inbound parseFixture(String name) {
    return parser().parse(fixture(name));
  }

  static Inbound parseRaw(String raw) {
    return parser().parse(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** A plain-text reply from the third officer to the reply address, built in code. */
  static MimeMessage reply(String text) throws MessagingException {
    MimeMessage m = new MimeMessage(SESSION);
    m.setFrom("Third Officer <third.officer@plant.example>");
    m.setRecipients(MimeMessage.RecipientType.TO, REPLY_ADDRESS);
    m.setSubject("Re: [CRITICAL] Main engine lube oil pressure low");
    m.setText(text, "UTF-8");
    m.saveChanges();
    m.setHeader("Message-ID", "<reply-1@plant.example>");
    m.setHeader("In-Reply-To", ALERT_ID);
    return m;
  }
}

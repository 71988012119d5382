package io.alertbridge.render;

import io.alertbridge.event.AlertEvent;
import io.alertbridge.route.Route;
import io.alertbridge.smtp.MailProviders;
import io.alertbridge.smtp.OutgoingMail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.Date;
import java.util.Properties;

/**
 * Builds the MIME message for one (event, route). From and the envelope sender come from
 * configuration only. A template with text and HTML gives multipart/alternative (text first, as RFC
 * 2046 §5.1.4 orders from plainest to richest); either alone gives a single part.
 */
public final class MessageComposer {
  static {
    MailProviders.useDirectLookup();
  }

  private static final Session SESSION = Session.getInstance(new Properties());

  private final Templates templates;
  private final InternetAddress from;
  private final String envelopeFrom;
  private final long maxMessageBytes;
  private final Clock clock;

  /**
   * @param maxMessageBytes the most bytes subject and bodies may render to ({@code
   *     delivery.max-message-size}); more is a {@link RenderException}
   */
  public MessageComposer(
      Templates templates,
      InternetAddress from,
      String envelopeFrom,
      long maxMessageBytes,
      Clock clock) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be positive, found " + maxMessageBytes);
    }
    this.templates = templates;
    this.from = from;
    this.envelopeFrom = envelopeFrom;
    this.maxMessageBytes = maxMessageBytes;
    this.clock = clock;
  }

  public OutgoingMail compose(AlertEvent event, Route route) throws RenderException {
    RenderedContent content =
        templates.render(route.template(), event, route.name(), maxMessageBytes);
    String messageId = MessageIds.of(event.id(), route.name(), domainOf(from));
    try {
      MimeMessage m = new FixedIdMessage(SESSION, messageId);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, route.recipients().toArray(new InternetAddress[0]));
      m.setSubject(content.subject(), "UTF-8");
      m.setSentDate(Date.from(clock.instant()));
      // RFC 3834 §5: tells auto-responders (vacation replies) not to answer alert mail.
      m.setHeader("Auto-Submitted", "auto-generated");
      m.setHeader("X-Auto-Response-Suppress", "All");
      m.setHeader("X-Alertbridge-Event-Id", encode(HeaderText.sanitize(event.id())));
      m.setHeader("X-Alertbridge-Route", encode(HeaderText.sanitize(route.name())));
      setBody(m, content);
      m.saveChanges();
      return new OutgoingMail(m, messageId, envelopeFrom, route.recipients());
    } catch (MessagingException e) {
      throw new RenderException("could not build the MIME message: " + e.getMessage(), e);
    }
  }

  private static void setBody(MimeMessage m, RenderedContent c) throws MessagingException {
    if (c.text().isPresent() && c.html().isPresent()) {
      MimeMultipart alternative = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(c.text().get(), "UTF-8", "plain");
      MimeBodyPart html = new MimeBodyPart();
      html.setText(c.html().get(), "UTF-8", "html");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      m.setContent(alternative);
    } else if (c.html().isPresent()) {
      m.setText(c.html().get(), "UTF-8", "html");
    } else {
      m.setText(c.text().orElse(""), "UTF-8", "plain");
    }
  }

  private static String encode(String headerValue) {
    try {
      return MimeUtility.fold(0, MimeUtility.encodeText(headerValue, "UTF-8", null));
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is always supported", e);
    }
  }

  static String domainOf(InternetAddress address) {
    String a = address.getAddress();
    return a.substring(a.lastIndexOf('@') + 1);
  }

  /** A MimeMessage whose Message-ID survives {@code saveChanges()}. */
  private static final class FixedIdMessage extends MimeMessage {
    private final String messageId;

    FixedIdMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}

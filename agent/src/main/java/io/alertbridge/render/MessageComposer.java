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
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final String configFile;
  private final boolean silenceHints;

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
    this(templates, from, envelopeFrom, maxMessageBytes, clock, null);
  }

  /**
   * @param configFile the daemon's configuration file, named in the silence command every mail ends
   *     with ({@link SilenceHint}); null: the deploy kit's path
   */
  public MessageComposer(
      Templates templates,
      InternetAddress from,
      String envelopeFrom,
      long maxMessageBytes,
      Clock clock,
      String configFile) {
    this(templates, from, envelopeFrom, maxMessageBytes, clock, configFile, true);
  }

  /**
   * @param silenceHints whether mails end with the silence command: not without the policy, where
   *     silences do nothing
   */
  public MessageComposer(
      Templates templates,
      InternetAddress from,
      String envelopeFrom,
      long maxMessageBytes,
      Clock clock,
      String configFile,
      boolean silenceHints) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be positive, found " + maxMessageBytes);
    }
    this.templates = templates;
    this.from = from;
    this.envelopeFrom = envelopeFrom;
    this.maxMessageBytes = maxMessageBytes;
    this.clock = clock;
    this.configFile = configFile;
    this.silenceHints = silenceHints;
  }

  /**
   * A mail to compose from a template and a context.
   *
   * @param messageId fixed by the caller, so a redelivery is recognisably the same mail
   * @param inReplyTo the Message-ID of the thread's first mail, or null: threads a group's mails
   * @param headers extra {@code X-Alertbridge-*} headers; values are sanitised here
   */
  public record Draft(
      String template,
      Map<String, Object> context,
      String messageId,
      String inReplyTo,
      List<InternetAddress> recipients,
      Map<String, String> headers,
      Envelope envelope,
      FollowupText.Parts followup) {
    public Draft {
      recipients = List.copyOf(recipients);
      headers = new LinkedHashMap<>(headers);
      envelope = envelope == null ? Envelope.DEFAULT : envelope;
      followup = followup == null ? FollowupText.Parts.NONE : followup;
    }

    public Draft(
        String template,
        Map<String, Object> context,
        String messageId,
        String inReplyTo,
        List<InternetAddress> recipients,
        Map<String, String> headers) {
      this(template, context, messageId, inReplyTo, recipients, headers, null, null);
    }
  }

  /**
   * How a mail is sent, where it differs from the configured defaults (issue 18).
   *
   * @param from the envelope sender (a bounce address with its token); null: {@code smtp}'s
   * @param dsnId the DSN envelope id (RFC 3461 ENVID); null: no DSN asked
   * @param replyTo the Reply-To address (a reply address with its token); null: none
   * @param autoSubmitted the RFC 3834 Auto-Submitted value; null: {@code auto-generated}
   */
  public record Envelope(String from, String dsnId, String replyTo, String autoSubmitted) {
    public static final Envelope DEFAULT = new Envelope(null, null, null, null);
  }

  /** The mail of one event to the route's recipients now, by the composer's clock. */
  public OutgoingMail compose(AlertEvent event, Route route) throws RenderException {
    return compose(event, route, clock.instant());
  }

  /** The mail of one event to whoever the route's recipients are at {@code at} (a rota's watch). */
  public OutgoingMail compose(AlertEvent event, Route route, Instant at) throws RenderException {
    RenderedContent content =
        templates.render(route.template(), event, route.name(), maxMessageBytes);
    content =
        SilenceHint.append(
            content,
            !silenceHints
                ? null
                : SilenceHint.command(
                    configFile,
                    SilenceHint.common(
                        List.of(
                            Map.of(
                                "type", event.type(),
                                "source", event.source(),
                                "labels", event.labels())))));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Alertbridge-Event-Id", event.id());
    headers.put("X-Alertbridge-Route", route.name());
    return build(
        content,
        MessageIds.of(event.id(), route.name(), domainOf(from)),
        null,
        route.recipients(at),
        headers,
        Envelope.DEFAULT);
  }

  public OutgoingMail compose(Draft d) throws RenderException {
    Object matchers = d.context().get(SilenceHint.MATCHERS);
    String command =
        silenceHints && matchers instanceof List<?> l
            ? SilenceHint.command(configFile, l.stream().map(String::valueOf).toList())
            : null;
    Map<String, Object> context = new LinkedHashMap<>(d.context());
    if (command != null) {
      context.put(SilenceHint.COMMAND, command);
    }
    RenderedContent content =
        SilenceHint.append(templates.render(d.template(), context, maxMessageBytes), command);
    if (Boolean.TRUE.equals(d.context().get("flapping_only"))
        && !content.subject().startsWith("[FLAPPING]")) {
      // The templates' own prefix ([FIRING], [RESOLVED]) would say the wrong thing.
      content =
          new RenderedContent(
              "[FLAPPING] " + content.subject().replaceFirst("^\\[[A-Z:0-9]+\\] ", ""),
              content.text(),
              content.html());
    }
    content = FollowupText.apply(content, d.followup());
    return build(content, d.messageId(), d.inReplyTo(), d.recipients(), d.headers(), d.envelope());
  }

  /** The domain of the From address: Message-IDs are made in it. */
  public String messageIdDomain() {
    return domainOf(from);
  }

  private OutgoingMail build(
      RenderedContent content,
      String messageId,
      String inReplyTo,
      List<InternetAddress> recipients,
      Map<String, String> headers,
      Envelope envelope)
      throws RenderException {
    try {
      MimeMessage m = new FixedIdMessage(SESSION, messageId);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, recipients.toArray(new InternetAddress[0]));
      m.setSubject(content.subject(), "UTF-8");
      m.setSentDate(Date.from(clock.instant()));
      // RFC 3834 §5: tells auto-responders (vacation replies) not to answer alert mail.
      m.setHeader(
          "Auto-Submitted",
          envelope.autoSubmitted() != null ? envelope.autoSubmitted() : "auto-generated");
      if (envelope.replyTo() != null) {
        // A sub-address with the reply token (issue 18): a reply comes back to the mailbox.
        m.setReplyTo(new InternetAddress[] {new InternetAddress(envelope.replyTo(), true)});
      }
      m.setHeader("X-Auto-Response-Suppress", "All");
      if (inReplyTo != null) {
        // RFC 5322 §3.6.4: clients thread a group's mails under its first one.
        String root = HeaderText.sanitize(inReplyTo);
        m.setHeader("In-Reply-To", root);
        m.setHeader("References", root);
      }
      for (Map.Entry<String, String> h : headers.entrySet()) {
        m.setHeader(h.getKey(), encode(HeaderText.sanitize(h.getValue())));
      }
      setBody(m, content);
      m.saveChanges();
      return new OutgoingMail(
          m,
          messageId,
          envelope.from() != null ? envelope.from() : envelopeFrom,
          recipients,
          envelope.dsnId());
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

package io.alertbridge.inbound;

import io.alertbridge.inbound.Inbound.Authentication;
import io.alertbridge.inbound.Inbound.Bounce;
import io.alertbridge.inbound.Inbound.Reason;
import io.alertbridge.inbound.Inbound.Rejected;
import io.alertbridge.inbound.Inbound.Reply;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.StoreClosedException;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Understands one message of the inbound mailbox: a reply carrying {@code ack}/{@code unack}, a
 * bounce, or something to reject. Pure: no IMAP, no Kafka, no clock; the policy decides whether the
 * token, the sender and the Message-IDs are known. Thread-safe.
 *
 * <p>Bad input never throws: every failure to read the message becomes {@link Reason#MALFORMED}.
 * Only a message that cannot be read at all because its folder closed throws {@link
 * MessageUnavailableException}. Token values never appear in what this returns as text.
 */
public final class InboundParser {
  private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]{1,250}>");
  private static final int MAX_REFERENCES = 100;
  private static final int MAX_DETAIL = 200;

  private final InboundLimits limits;
  private final AddressTemplate replyAddress;
  private final AddressTemplate bounceAddress;
  private final String trustedAuthservId;
  private final Session session;

  /**
   * @param replyAddress such as {@code alerts+{token}@alertbridge.plant.example}
   * @param bounceAddress such as {@code bounces+{token}@alertbridge.plant.example}
   * @param trustedAuthservId the receiving server's authserv-id, or null to check no DMARC
   * @throws IllegalArgumentException when a template has not exactly one {@code {token}} in its
   *     local part
   */
  public InboundParser(
      InboundLimits limits, String replyAddress, String bounceAddress, String trustedAuthservId) {
    this.limits = limits;
    this.replyAddress = AddressTemplate.parse(replyAddress);
    this.bounceAddress = AddressTemplate.parse(bounceAddress);
    this.trustedAuthservId =
        trustedAuthservId == null || trustedAuthservId.isBlank() ? null : trustedAuthservId.trim();
    this.session = Session.getInstance(new Properties());
  }

  /**
   * Reads a raw message (RFC 5322 bytes) from a stream, stopping after the size limit: a 50 MB
   * message costs 10 MiB of reading, not 50.
   *
   * @throws IOException only when reading {@code raw} fails; the content never causes one
   */
  public Inbound parse(InputStream raw) throws IOException {
    byte[] head = raw.readNBytes(Math.toIntExact(limits.maxMessageBytes() + 1));
    if (head.length > limits.maxMessageBytes()) {
      return tooLarge("more than " + limits.maxMessageBytes());
    }
    return parse(head);
  }

  /** Parses a raw message (RFC 5322 bytes). */
  public Inbound parse(byte[] raw) {
    if (raw.length > limits.maxMessageBytes()) {
      return tooLarge(String.valueOf(raw.length));
    }
    int lines = RawScan.delimiterLines(raw, 2 * limits.maxParts());
    if (lines > 2 * limits.maxParts()) {
      return new Rejected(Reason.TOO_DEEP, "more than " + limits.maxParts() + " MIME parts", null);
    }
    MimeMessage m;
    try {
      // A shared stream lets every part read the one buffer instead of copying its bytes.
      m = new MimeMessage(session, new SharedByteArrayInputStream(raw));
    } catch (MessagingException | RuntimeException e) {
      return new Rejected(Reason.MALFORMED, describe(e), null);
    }
    return parse(m);
  }

  /**
   * Parses a message, such as one handed over by IMAP. Its size ({@link MimeMessage#getSize()},
   * RFC822.SIZE over IMAP) is checked before anything else is read; parts are fetched only as far
   * as the parser reads them.
   *
   * @throws MessageUnavailableException when the folder or store closed or the message was expunged
   *     while it was read
   */
  public Inbound parse(MimeMessage m) {
    String messageId = null;
    try {
      messageId = messageId(m);
      return classify(m, messageId);
    } catch (Refusal r) {
      return new Rejected(r.reason(), r.getMessage(), messageId);
    } catch (MessagingException | IOException | RuntimeException e) {
      if (unavailable(m, e)) {
        throw new MessageUnavailableException(
            "the message could not be read from its folder: " + describe(e), e);
      }
      return new Rejected(Reason.MALFORMED, describe(e), messageId);
    }
  }

  private Inbound classify(MimeMessage m, String messageId)
      throws MessagingException, IOException, Refusal {
    int size = m.getSize();
    if (size > limits.maxMessageBytes()) {
      throw new Refusal(Reason.TOO_LARGE, sizeDetail(String.valueOf(size)));
    }
    MimeWalk.Found parts = MimeWalk.walk(m, limits);
    Addressees to = Addressees.of(m, replyAddress, bounceAddress);
    if (parts.deliveryStatus() != null) {
      return bounce(parts, to.bounce(), messageId);
    }
    Sender sender = Sender.of(m);
    if (sender.mailSystem()) {
      return bounce(parts, to.bounce(), messageId);
    }
    // Out-of-office replies go to the envelope sender, the bounce address: this check comes
    // before the bounce address is taken as a sign of a bounce.
    var automatic = AutoReply.detect(m);
    if (automatic.isPresent()) {
      throw new Refusal(Reason.AUTO_REPLY, automatic.get());
    }
    if (to.bounce() != null) {
      return bounce(parts, to.bounce(), messageId);
    }
    if (sender.nullReturnPath()) {
      Bounce b = bounce(parts, null, messageId);
      if (b.originalMessageId() != null) {
        return b;
      }
      throw new Refusal(Reason.AUTO_REPLY, "Return-Path: <> (null sender) and not a bounce");
    }
    return reply(m, parts, to, sender, messageId);
  }

  private Reply reply(
      MimeMessage m, MimeWalk.Found parts, Addressees to, Sender sender, String messageId)
      throws MessagingException, IOException, Refusal {
    if (to.reply() == null) {
      throw new Refusal(
          Reason.NO_TOKEN,
          to.malformed()
              ? "addressed to a reply or bounce address whose token is not 16 to 64 of [a-z2-7]"
              : "not addressed to a reply or bounce address");
    }
    if (sender.address() == null) {
      throw new Refusal(Reason.MALFORMED, sender.problem());
    }
    Authentication auth = authenticate(m, sender.address());
    if (!auth.pass()) {
      throw new Refusal(Reason.DMARC_FAIL, auth.detail());
    }
    Command command =
        CommandReader.read(replyText(parts))
            .orElseThrow(
                () ->
                    new Refusal(
                        Reason.NO_COMMAND,
                        "the first line that is not quoted is not ack, ack DURATION or unack"));
    return new Reply(to.reply(), sender.address(), command, messageId, references(m), auth);
  }

  private Authentication authenticate(MimeMessage m, String from) throws MessagingException {
    if (trustedAuthservId == null) {
      return new Authentication(false, true, "not checked: no trusted-authserv-id");
    }
    String domain = from.substring(from.lastIndexOf('@') + 1);
    return Dmarc.check(trustedAuthservId, m.getHeader("Authentication-Results"), domain);
  }

  private String replyText(MimeWalk.Found parts) throws MessagingException, IOException {
    if (parts.plain() != null) {
      return PartReader.text(parts.plain(), limits.maxTextBytes());
    }
    if (parts.html() != null) {
      return HtmlText.reply(PartReader.text(parts.html(), limits.maxTextBytes()));
    }
    return "";
  }

  private Bounce bounce(MimeWalk.Found parts, String token, String messageId)
      throws MessagingException, IOException {
    DeliveryStatus dsn =
        parts.deliveryStatus() == null
            ? null
            : DeliveryStatus.parse(PartReader.text(parts.deliveryStatus(), limits.maxTextBytes()));
    ReturnedHeaders returned = returned(parts);
    String queueId = returned.queueId();
    String original = returned.messageId();
    String envelopeId = null;
    if (dsn != null) {
      queueId = queueId != null ? queueId : oneLine(dsn.field("x-postfix-queue-id"));
      original = original != null ? original : oneLine(dsn.field("x-original-message-id"));
      envelopeId = oneLine(dsn.field("original-envelope-id"));
    }
    return new Bounce(
        token,
        envelopeId,
        original,
        queueId,
        dsn == null ? List.of() : dsn.recipients(),
        returned.selected(),
        messageId);
  }

  private ReturnedHeaders returned(MimeWalk.Found parts) throws MessagingException, IOException {
    if (parts.returnedHeaders() != null) {
      return ReturnedHeaders.fromHeaderBlock(
          PartReader.bytes(parts.returnedHeaders(), limits.maxTextBytes()));
    }
    if (parts.returnedMessage() != null) {
      return ReturnedHeaders.fromHeaderBlock(
          PartReader.bytes(parts.returnedMessage(), limits.maxTextBytes()));
    }
    if (parts.plain() != null) {
      return ReturnedHeaders.fromText(PartReader.text(parts.plain(), limits.maxTextBytes()));
    }
    if (parts.html() != null) {
      return ReturnedHeaders.fromText(
          HtmlText.all(PartReader.text(parts.html(), limits.maxTextBytes())));
    }
    return ReturnedHeaders.NONE;
  }

  private static String messageId(MimeMessage m) throws MessagingException {
    String[] ids = m.getHeader("Message-ID");
    return ids == null || ids.length == 0 ? null : oneLine(ids[0]);
  }

  /** In-Reply-To's ids, then References', each once: the thread the reply belongs to. */
  private static List<String> references(MimeMessage m) throws MessagingException {
    Set<String> ids = new LinkedHashSet<>();
    for (String name : List.of("In-Reply-To", "References")) {
      String[] values = m.getHeader(name);
      for (String v : values == null ? new String[0] : values) {
        Matcher id = MESSAGE_ID.matcher(v);
        while (id.find() && ids.size() < MAX_REFERENCES) {
          ids.add(id.group());
        }
      }
    }
    return List.copyOf(ids);
  }

  private static String oneLine(String value) {
    if (value == null) {
      return null;
    }
    String v = DeliveryStatus.oneLine(value);
    return v.isEmpty() ? null : v;
  }

  private Rejected tooLarge(String found) {
    return new Rejected(Reason.TOO_LARGE, sizeDetail(found), null);
  }

  private String sizeDetail(String found) {
    return "message of " + found + " bytes; the limit is " + limits.maxMessageBytes();
  }

  /** Whether the failure is the mailbox's, not the message's. */
  private static boolean unavailable(MimeMessage m, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FolderClosedException
          || t instanceof StoreClosedException
          || t instanceof MessageRemovedException) {
        return true;
      }
    }
    Folder folder = m.getFolder();
    return m.isExpunged() || (folder != null && !folder.isOpen());
  }

  /** The exception's type and first line, bounded: never a body. */
  static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    String line = (e.getClass().getSimpleName() + message).split("[\\r\\n]", 2)[0];
    return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "…";
  }
}

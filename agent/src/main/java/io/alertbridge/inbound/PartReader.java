package io.alertbridge.inbound;

import jakarta.activation.UnsupportedDataTypeException;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/** Reads at most a bounded number of decoded bytes of a part, and turns them into text. */
final class PartReader {
  private PartReader() {}

  /**
   * The part's text in its declared charset, at most {@code max} bytes of it. An unknown or missing
   * charset reads as UTF-8 with replacement characters: every command and DSN field is ASCII, so a
   * best-effort reading loses nothing the parser needs.
   */
  static String text(Part part, int max) throws MessagingException, IOException {
    return new String(bytes(part, max), charset(part));
  }

  /**
   * The part's decoded content, at most {@code max} bytes. A part built in code with an object and
   * a type that no handler knows ({@code message/delivery-status} has none in Angus Mail) has no
   * byte stream; its String or InputStream content is read instead.
   */
  static byte[] bytes(Part part, int max) throws MessagingException, IOException {
    InputStream in;
    try {
      in = part.getInputStream();
    } catch (UnsupportedDataTypeException e) {
      Object content = part.getContent();
      if (content instanceof String s) {
        byte[] all = s.getBytes(charset(part));
        return all.length <= max ? all : Arrays.copyOf(all, max);
      }
      if (!(content instanceof InputStream stream)) {
        throw e;
      }
      in = stream;
    }
    try (InputStream closing = in) {
      return closing.readNBytes(max);
    }
  }

  static Charset charset(Part part) {
    try {
      String type = part.getContentType();
      String name = type == null ? null : new ContentType(type).getParameter("charset");
      if (name != null) {
        return Charset.forName(MimeUtility.javaCharset(name.trim()));
      }
    } catch (MessagingException | IllegalArgumentException ignored) {
      // ParseException, an illegal or unsupported charset name: fall through to the default.
    }
    return StandardCharsets.UTF_8;
  }

  /** The base type in lowercase, or {@code text/plain} (RFC 2045 §5.2) when it cannot be read. */
  static String baseType(Part part) throws MessagingException {
    String raw = part.getContentType();
    if (raw == null) {
      return "text/plain";
    }
    try {
      return new ContentType(raw).getBaseType().toLowerCase(Locale.ROOT);
    } catch (ParseException e) {
      return "text/plain";
    }
  }

  static boolean isAttachment(Part part) {
    try {
      return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
    } catch (MessagingException e) {
      return false; // an unreadable disposition: treat as inline, the content decides
    }
  }
}

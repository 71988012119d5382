package io.alertbridge.inbound;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.UnsupportedEncodingException;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers of a bounced original that trace it back to its alert: Message-ID, Subject and {@code
 * X-Alertbridge-*}, and the queue ID its first server gave it.
 *
 * @param selected canonical header name (such as {@code X-Alertbridge-Event-Id}) to its value
 * @param queueId from the bottom-most Received header that names one, or null
 */
record ReturnedHeaders(Map<String, String> selected, String queueId) {
  static final ReturnedHeaders NONE = new ReturnedHeaders(Map.of(), null);
  private static final int MAX_VALUE = 998; // RFC 5322 §2.1.1's line limit
  private static final Pattern LINE =
      Pattern.compile(
          "(?m)^[ \\t]*(message-id|subject|x-alertbridge-[a-z0-9-]+)[ \\t]*:(.*)$",
          Pattern.CASE_INSENSITIVE);

  /**
   * The id of Postfix ({@code with ESMTP id 4F3X2Y}), Sendmail and Exim. Dotted numbers are
   * Exchange's server version ({@code id 15.20.7452.28}), not a queue ID.
   */
  private static final Pattern RECEIVED_ID =
      Pattern.compile(
          "(?:^|[\\s);])id\\s+<?([A-Za-z0-9][A-Za-z0-9._-]{2,63})", Pattern.CASE_INSENSITIVE);

  private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)+");

  ReturnedHeaders {
    selected = Map.copyOf(selected);
  }

  String messageId() {
    return selected.get("Message-ID");
  }

  /** From the header block of a message/rfc822 or text/rfc822-headers part. */
  static ReturnedHeaders fromHeaderBlock(byte[] block) throws MessagingException {
    InternetHeaders headers = new InternetHeaders(new ByteArrayInputStream(block));
    Map<String, String> selected = new LinkedHashMap<>();
    String queueId = null;
    for (Enumeration<Header> e = headers.getAllHeaders(); e.hasMoreElements(); ) {
      Header h = e.nextElement();
      if (h.getName().equalsIgnoreCase("Received") && h.getValue() != null) {
        String id = receivedId(h.getValue());
        queueId = id != null ? id : queueId; // the last one wins: the first hop is at the bottom
      } else {
        select(selected, h.getName(), h.getValue());
      }
    }
    return new ReturnedHeaders(selected, queueId);
  }

  /** From a bounce's text, where servers without DSN quote the original's header lines. */
  static ReturnedHeaders fromText(String text) {
    Map<String, String> selected = new LinkedHashMap<>();
    Matcher m = LINE.matcher(text);
    while (m.find()) {
      select(selected, m.group(1), m.group(2));
    }
    return new ReturnedHeaders(selected, null);
  }

  private static void select(Map<String, String> selected, String name, String value) {
    if (value == null) {
      return;
    }
    String canonical = canonical(name);
    if (canonical.equals("Message-ID")
        || canonical.equals("Subject")
        || canonical.startsWith("X-Alertbridge-")) {
      selected.putIfAbsent(canonical, clean(canonical, value));
    }
  }

  static String canonical(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    if (lower.equals("message-id")) {
      return "Message-ID";
    }
    StringBuilder b = new StringBuilder(lower.length());
    boolean upper = true;
    for (char c : lower.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return b.toString();
  }

  private static String clean(String name, String raw) {
    String v = raw.replaceAll("\\r?\\n[ \\t]*", " ").trim();
    if (name.equals("Subject")) {
      try {
        v = MimeUtility.decodeText(v);
      } catch (UnsupportedEncodingException ignored) {
        // An unknown charset in an encoded word: keep the raw text, still useful to a reader.
      }
    }
    v = v.replaceAll("\\p{Cntrl}", "");
    return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE);
  }

  static String receivedId(String received) {
    Matcher m = RECEIVED_ID.matcher(received);
    while (m.find()) {
      String id = m.group(1);
      if (!VERSION.matcher(id).matches()) {
        return id;
      }
    }
    return null;
  }
}

package io.alertbridge.web;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads an HTTP/1.x request head (RFC 9112 §2-§5): the request line and the header fields. */
final class HttpHead {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HttpHead() {}

  /**
   * Where the head ends in {@code buf[0..length)}: the index just past its empty line, or -1 when
   * the head is not complete yet. A bare LF ends a line too, as RFC 9112 §2.2 allows a recipient.
   */
  static int end(byte[] buf, int length) {
    for (int i = 0; i + 1 < length; i++) {
      if (buf[i] != '\n') {
        continue;
      }
      if (buf[i + 1] == '\n') {
        return i + 2;
      }
      if (buf[i + 1] == '\r' && i + 2 < length && buf[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  /**
   * The request in {@code buf[0..end)}.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  static HttpRequest parse(byte[] buf, int end, boolean statusPage) {
    // Header bytes beyond ASCII are opaque (RFC 9110 §5.5): ISO-8859-1 keeps them one char each.
    String[] lines = new String(buf, 0, end, StandardCharsets.ISO_8859_1).split("\r?\n");
    String[] requestLine = lines[0].split(" ", -1);
    if (requestLine.length != 3
        || !TOKEN.matcher(requestLine[0]).matches()
        || !requestLine[1].startsWith("/")
        || !requestLine[2].matches("HTTP/1\\.[0-9]")) {
      throw new IllegalArgumentException("the request line must be METHOD /path HTTP/1.x");
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
        throw new IllegalArgumentException("a header field must be name: value");
      }
      headers.merge(
          line.substring(0, colon).toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip(),
          (a, b) -> a + ", " + b);
    }
    String target = requestLine[1];
    int q = target.indexOf('?');
    return new HttpRequest(
        requestLine[0],
        q < 0 ? target : target.substring(0, q),
        q < 0 ? null : target.substring(q + 1),
        headers,
        statusPage,
        new byte[0]);
  }
}

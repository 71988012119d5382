package io.alertbridge.web;

import java.util.Map;

/**
 * How long a request's body is (RFC 9112 §6): its {@code Content-Length}, or nothing. Chunked
 * bodies are refused with 411: every client of this endpoint (amtool, Grafana, a browser's form)
 * sends a length, and a length is what lets the selector bound the body before reading it.
 */
final class HttpBody {
  private HttpBody() {}

  /** Why the body will not be read, as the response to send; null when it will be. */
  static HttpResponse refusal(Map<String, String> headers, int maxBytes) {
    if (headers.containsKey("transfer-encoding")) {
      // With Content-Length as well, it is the classic request-smuggling shape (RFC 9112 §6.3).
      return HttpResponse.text(411, "send the body with Content-Length, not Transfer-Encoding\n");
    }
    String length = headers.get("content-length");
    if (length == null) {
      return null;
    }
    long n = parse(length);
    if (n < 0) {
      return HttpResponse.text(400, "bad request: Content-Length must be one decimal number\n");
    }
    if (n > maxBytes) {
      return HttpResponse.text(413, "request body over " + maxBytes + " bytes\n");
    }
    return null;
  }

  /** The length of a body that {@link #refusal} accepted. */
  static int length(Map<String, String> headers) {
    String length = headers.get("content-length");
    return length == null ? 0 : (int) parse(length);
  }

  /**
   * The value, or -1 when malformed. Repeated fields arrive joined by ", " and are accepted only
   * when all agree, as RFC 9112 §6.3 allows.
   */
  private static long parse(String value) {
    long found = -1;
    for (String part : value.split(",", -1)) {
      String v = part.strip();
      if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      long n = Long.parseLong(v);
      if (found >= 0 && n != found) {
        return -1;
      }
      found = n;
    }
    return found;
  }
}

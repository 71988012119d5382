package io.alertbridge.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 requests written by hand on a fresh socket, so a test controls every byte. */
final class RawHttp {
  /** A parsed response; header names in lower case. */
  record Reply(int status, Map<String, String> headers, String body, String raw) {}

  private RawHttp() {}

  static Reply send(InetSocketAddress a, String raw) throws IOException {
    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
      return parse(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** A request with a body (when not null) and the given extra header lines. */
  static Reply request(
      InetSocketAddress a, String method, String path, String body, String... headers)
      throws IOException {
    StringBuilder r = new StringBuilder();
    r.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    r.append(a.getAddress().getHostAddress()).append(':').append(a.getPort()).append("\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      r.append("Content-Length: ").append(b.length).append("\r\n");
    }
    r.append("\r\n");
    return send(a, r + (body == null ? "" : body));
  }

  static Reply parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IllegalStateException("no complete response: " + raw);
    }
    String[] lines = raw.substring(0, end).split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    return new Reply(
        Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4), raw);
  }
}

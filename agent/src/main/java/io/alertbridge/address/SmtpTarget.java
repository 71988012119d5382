package io.alertbridge.address;

/** A host and port to talk SMTP to; parsed from {@code HOST[:PORT]} or {@code [IPv6]:PORT}. */
public record SmtpTarget(String host, int port) {
  public static SmtpTarget parse(String text, int defaultPort) {
    String t = text.strip();
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("unclosed [ in " + text);
      }
      String host = t.substring(1, end);
      String rest = t.substring(end + 1);
      return new SmtpTarget(
          host, rest.startsWith(":") ? port(rest.substring(1), text) : defaultPort);
    }
    int colon = t.lastIndexOf(':');
    if (colon > 0 && t.indexOf(':') == colon) {
      return new SmtpTarget(t.substring(0, colon), port(t.substring(colon + 1), text));
    }
    return new SmtpTarget(t, defaultPort);
  }

  private static int port(String p, String text) {
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + p + "' in " + text + " is not a port (1-65535)");
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}

package io.alertbridge.config;

import io.alertbridge.smtp.TlsMode;

/** One SMTP server. {@link #toString()} never shows the password. */
public record SmtpServerSettings(
    String host, Integer port, TlsMode tls, String username, String password) {
  public SmtpServerSettings {
    tls = tls == null ? TlsMode.NONE : tls;
    port = port == null ? defaultPort(tls) : port;
    username = blankToNull(username);
    password = blankToNull(password);
  }

  private static int defaultPort(TlsMode tls) {
    return switch (tls) {
      case IMPLICIT -> 465;
      case STARTTLS -> 587;
      case NONE -> 25;
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  public boolean authenticates() {
    return username != null;
  }

  /** {@code host:port}, the name this server has in logs and audit records. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "SmtpServer["
        + address()
        + ", tls="
        + tls
        + (username == null ? "" : ", username=" + username + ", password=***")
        + "]";
  }
}

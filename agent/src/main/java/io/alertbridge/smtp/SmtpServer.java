package io.alertbridge.smtp;

import java.util.Objects;

/**
 * One SMTP server as the client needs it. {@link #toString()} never shows the password.
 *
 * @param name how logs and audit records name it ({@code host:port} unless configured)
 * @param username null when the server takes mail without AUTH
 */
public record SmtpServer(
    String name, String host, int port, TlsMode tls, String username, String password) {
  public SmtpServer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, found " + port);
    }
  }

  public boolean authenticates() {
    return username != null;
  }

  /** {@code host:port}, the name this server has in logs and audit records. */
  public String address() {
    return host + ":" + port;
  }

  /** A server named by its address. */
  public static SmtpServer at(
      String host, int port, TlsMode tls, String username, String password) {
    return new SmtpServer(host + ":" + port, host, port, tls, username, password);
  }

  @Override
  public String toString() {
    return "SmtpServer["
        + name
        + (name.equals(address()) ? "" : " " + address())
        + ", tls="
        + tls
        + (username == null ? "" : ", username=" + username + ", password=***")
        + "]";
  }
}

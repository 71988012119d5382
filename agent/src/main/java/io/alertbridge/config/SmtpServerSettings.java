package io.alertbridge.config;

import io.alertbridge.smtp.TlsMode;

/**
 * One SMTP server of the pool. {@link #toString()} never shows the password.
 *
 * @param name used in logs, audit records ({@code smtp_server}) and metrics; {@code host:port} when
 *     not set
 * @param priority lower is tried first; servers of equal priority share the load
 * @param connections the most sessions open at once to this server; {@code smtp.connections} when
 *     not set
 * @param rate the most messages per window to this server; unlimited when not set
 * @param tlsCaFile PEM file of the CA(s) to trust for this server instead of the JVM's store
 * @param tlsClientCert PEM certificate (chain) to present to relays that require one, with {@code
 *     tlsClientKey} (PKCS#8 PEM)
 */
public record SmtpServerSettings(
    String name,
    String host,
    Integer port,
    TlsMode tls,
    String username,
    String password,
    Integer priority,
    Integer connections,
    Rate rate,
    Integer maxMessagesPerConnection,
    Integer maxRecipientsPerMessage,
    String tlsCaFile,
    String tlsClientCert,
    String tlsClientKey,
    OAuth2Settings oauth2) {
  public SmtpServerSettings {
    tls = tls == null ? TlsMode.NONE : tls;
    port = port == null ? defaultPort(tls) : port;
    username = blankToNull(username);
    password = blankToNull(password);
    name = blankToNull(name) == null ? host + ":" + port : name;
    priority = priority == null ? 1 : priority;
    maxMessagesPerConnection = maxMessagesPerConnection == null ? 100 : maxMessagesPerConnection;
    maxRecipientsPerMessage = maxRecipientsPerMessage == null ? 50 : maxRecipientsPerMessage;
    tlsCaFile = blankToNull(tlsCaFile);
    tlsClientCert = blankToNull(tlsClientCert);
    tlsClientKey = blankToNull(tlsClientKey);
  }

  /** A server with the defaults for everything but where it is and how to log in. */
  public static SmtpServerSettings of(
      String host, Integer port, TlsMode tls, String username, String password) {
    return new SmtpServerSettings(
        null, host, port, tls, username, password, null, null, null, null, null, null, null, null,
        null);
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

  /** Whether the server is sent credentials: a password or an OAuth2 token. */
  public boolean authenticates() {
    return username != null;
  }

  /** {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "SmtpServer["
        + name
        + (name.equals(address()) ? "" : " " + address())
        + ", tls="
        + tls
        + ", priority="
        + priority
        + (username == null
            ? ""
            : ", username=" + username + (oauth2 == null ? ", password=***" : ", " + oauth2))
        + "]";
  }
}

package io.alertbridge.smtp;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * How the client talks to its server: the envelope sender and HELO name it announces, the timeouts
 * that keep a hung server from hanging delivery, and how many connections it keeps.
 *
 * @param helo the EHLO/HELO name, or null for the local host name
 * @param dataTimeout how long to wait for the reply to the final dot (RFC 5321 §4.5.3.2.6: up to 10
 *     minutes), where {@code readTimeout} applies to every other reply
 * @param tls the TLS socket factory for this server (its own CA, a client certificate); the JVM's
 *     defaults when empty
 * @param oauth2 tokens for AUTH XOAUTH2 instead of the server's password
 */
public record SmtpClientSettings(
    SmtpServer server,
    String envelopeSender,
    String helo,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Duration dataTimeout,
    Duration idleTimeout,
    int connections,
    int maxMessagesPerConnection,
    Optional<SSLSocketFactory> tls,
    Optional<OAuth2Tokens> oauth2) {
  public SmtpClientSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(envelopeSender, "envelopeSender");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(oauth2, "oauth2");
    if (oauth2.isPresent() && server.username() == null) {
      throw new IllegalArgumentException("XOAUTH2 needs the username the token was issued for");
    }
    if (oauth2.isEmpty() && server.username() != null && server.password() == null) {
      throw new IllegalArgumentException("a username needs a password or OAuth2 tokens");
    }
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(writeTimeout, "writeTimeout");
    positive(dataTimeout, "dataTimeout");
    positive(idleTimeout, "idleTimeout");
    if (maxMessagesPerConnection < 1) {
      throw new IllegalArgumentException(
          "maxMessagesPerConnection must be at least 1, found " + maxMessagesPerConnection);
    }
    if (connections < 1) {
      throw new IllegalArgumentException(
          "connections must be greater than or equal to 1, found " + connections);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, found " + d);
    }
  }
}

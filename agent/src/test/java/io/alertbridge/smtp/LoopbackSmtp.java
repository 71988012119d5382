package io.alertbridge.smtp;

import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/** SMTP client settings for tests and benchmarks that talk to a loopback server. */
public final class LoopbackSmtp {
  private LoopbackSmtp() {}

  public static SmtpClientSettings forPort(int port) {
    return forPort(port, TlsMode.NONE);
  }

  public static SmtpClientSettings forPort(int port, TlsMode tls) {
    return forServer(SmtpServer.at("127.0.0.1", port, tls, null, null));
  }

  public static SmtpClientSettings forServer(SmtpServer server) {
    return forServer(server, Duration.ofSeconds(5), 100, Optional.empty(), Optional.empty());
  }

  /** Loopback timeouts and the client's own addresses, with the given server and session. */
  public static SmtpClientSettings forServer(
      SmtpServer server,
      Duration readTimeout,
      int maxMessagesPerConnection,
      Optional<SSLSocketFactory> tls,
      Optional<OAuth2Tokens> oauth2) {
    return new SmtpClientSettings(
        server,
        "alerts@plant.example",
        "alertbridge.test",
        Duration.ofSeconds(2),
        readTimeout,
        Duration.ofSeconds(5),
        readTimeout,
        Duration.ofSeconds(30),
        1,
        maxMessagesPerConnection,
        tls,
        oauth2);
  }
}

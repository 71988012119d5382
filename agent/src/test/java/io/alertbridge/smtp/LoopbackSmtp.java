package io.alertbridge.smtp;

import java.time.Duration;

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
    return new SmtpClientSettings(
        server,
        "alerts@plant.example",
        "alertbridge.test",
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        1,
        100,
        java.util.Optional.empty(),
        java.util.Optional.empty());
  }
}

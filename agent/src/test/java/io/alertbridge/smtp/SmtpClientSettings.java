package io.alertbridge.smtp;

import io.alertbridge.config.RetrySettings;
import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.config.TlsMode;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.List;

/** SMTP settings for tests and benchmarks that talk to a loopback server. */
public final class SmtpClientSettings {
  private SmtpClientSettings() {}

  public static SmtpSettings forPort(int port) throws AddressException {
    return forPort(port, TlsMode.NONE);
  }

  public static SmtpSettings forPort(int port, TlsMode tls) throws AddressException {
    return new SmtpSettings(
        new InternetAddress("alerts@plant.example"),
        null,
        "alertbridge.test",
        List.of(new SmtpServerSettings("127.0.0.1", port, tls, null, null)),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        null,
        1,
        RetrySettings.DEFAULTS);
  }
}

package io.alertbridge.daemon;

import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpClientSettings;
import io.alertbridge.smtp.SmtpServer;
import java.time.Clock;

/** Builds the SMTP client's own settings from the validated configuration. */
public final class SmtpWiring {
  private SmtpWiring() {}

  public static SmtpClientSettings clientSettings(SmtpSettings s) {
    SmtpServerSettings server = s.servers().get(0);
    return new SmtpClientSettings(
        new SmtpServer(
            server.host(), server.port(), server.tls(), server.username(), server.password()),
        s.envelopeSender(),
        s.helo(),
        s.connectTimeout(),
        s.readTimeout(),
        s.writeTimeout(),
        s.connections());
  }

  public static SmtpClient client(SmtpSettings s, Clock clock) {
    return new SmtpClient(clientSettings(s), clock);
  }
}

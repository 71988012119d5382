package io.alertbridge.config;

import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.List;

/** How mail is submitted. {@code from} and the envelope sender never come from an event. */
public record SmtpSettings(
    InternetAddress from,
    InternetAddress envelopeFrom,
    String helo,
    List<SmtpServerSettings> servers,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Integer connections,
    RetrySettings retry) {
  public SmtpSettings {
    servers = Copies.list(servers);
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
    writeTimeout = writeTimeout == null ? readTimeout : writeTimeout;
    connections = connections == null ? 1 : connections;
    retry = retry == null ? RetrySettings.DEFAULTS : retry;
  }

  /** The MAIL FROM address: {@code envelope-from} when set, else the address of {@code from}. */
  public String envelopeSender() {
    return envelopeFrom != null ? envelopeFrom.getAddress() : from.getAddress();
  }
}

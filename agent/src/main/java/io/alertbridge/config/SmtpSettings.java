package io.alertbridge.config;

import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How mail is submitted, through a pool of servers. {@code from} and the envelope sender never come
 * from an event. {@code connections} is the default for each server's own {@code connections}.
 */
public record SmtpSettings(
    InternetAddress from,
    InternetAddress envelopeFrom,
    String helo,
    List<SmtpServerSettings> servers,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Duration dataTimeout,
    Duration idleTimeout,
    Integer connections,
    CircuitBreakerSettings circuitBreaker,
    Boolean allowPlaintextAuth,
    RetrySettings retry) {
  public SmtpSettings {
    servers = Copies.list(servers);
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(30) : readTimeout;
    writeTimeout = writeTimeout == null ? readTimeout : writeTimeout;
    // RFC 5321 §4.5.3.2.6: a server may take 10 minutes to answer the final dot.
    dataTimeout = dataTimeout == null ? Duration.ofMinutes(10) : dataTimeout;
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(30) : idleTimeout;
    connections = connections == null ? 1 : connections;
    circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.DEFAULTS : circuitBreaker;
    allowPlaintextAuth = allowPlaintextAuth != null && allowPlaintextAuth;
    retry = retry == null ? RetrySettings.DEFAULTS : retry;
  }

  /** The MAIL FROM address: {@code envelope-from} when set, else the address of {@code from}. */
  public String envelopeSender() {
    return envelopeFrom != null ? envelopeFrom.getAddress() : from.getAddress();
  }

  /** How many connections a server may have: its own setting, else {@code smtp.connections}. */
  public int connectionsOf(SmtpServerSettings server) {
    return server.connections() != null ? server.connections() : connections;
  }

  /** The most connections open at once over all servers: how many mails can be on the wire. */
  public int totalConnections() {
    return servers.stream().mapToInt(this::connectionsOf).sum();
  }
}

package io.alertbridge.daemon;

import io.alertbridge.config.OAuth2Settings;
import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.smtp.ClientCredentialsTokens;
import io.alertbridge.smtp.OAuth2Tokens;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpClientSettings;
import io.alertbridge.smtp.SmtpServer;
import io.alertbridge.smtp.TlsTrust;
import io.alertbridge.smtp.TokenFile;
import io.alertbridge.smtp.pool.PoolMember;
import io.alertbridge.smtp.pool.SmtpPool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/** Builds the SMTP pool, with each server's own client settings, from the validated config. */
public final class SmtpWiring {
  private SmtpWiring() {}

  public static SmtpClientSettings clientSettings(
      SmtpSettings s, SmtpServerSettings server, Clock clock) {
    return new SmtpClientSettings(
        new SmtpServer(
            server.name(),
            server.host(),
            server.port(),
            server.tls(),
            server.username(),
            server.password()),
        s.envelopeSender(),
        s.helo(),
        s.connectTimeout(),
        s.readTimeout(),
        s.writeTimeout(),
        s.dataTimeout(),
        s.idleTimeout(),
        s.connectionsOf(server),
        server.maxMessagesPerConnection(),
        tls(server),
        Optional.ofNullable(server.oauth2()).map(o -> tokens(o, s, clock)));
  }

  private static OAuth2Tokens tokens(OAuth2Settings o, SmtpSettings s, Clock clock) {
    if (o.tokenFile() != null) {
      return new TokenFile(Path.of(o.tokenFile()));
    }
    return new ClientCredentialsTokens(
        HttpClient.newBuilder().connectTimeout(s.connectTimeout()).build(),
        URI.create(o.tokenUrl()),
        o.clientId(),
        o.clientSecret(),
        o.scope(),
        s.readTimeout(),
        clock);
  }

  private static Optional<SSLSocketFactory> tls(SmtpServerSettings server) {
    try {
      return TlsTrust.socketFactory(
          Optional.ofNullable(server.tlsCaFile()).map(Path::of),
          Optional.ofNullable(server.tlsClientCert()).map(Path::of),
          Optional.ofNullable(server.tlsClientKey()).map(Path::of));
    } catch (IOException | GeneralSecurityException e) {
      // The configuration check read the same files at startup; they changed since.
      throw new IllegalStateException("TLS files of server " + server.name() + ": " + e, e);
    }
  }

  /** Every configured server behind one submitter: priorities, failover, breakers, rates. */
  public static SmtpPool pool(SmtpSettings s, Clock clock) {
    return new SmtpPool(
        s.servers().stream().map(server -> member(s, server, clock)).toList(),
        SmtpPool.circuit(
            (float) s.circuitBreaker().failureRate().value(),
            s.circuitBreaker().minimumCalls(),
            s.circuitBreaker().openFor()),
        s.connectTimeout());
  }

  /** One server of the pool, with its own client: at start, and for a server a reload adds. */
  static PoolMember member(SmtpSettings s, SmtpServerSettings server, Clock clock) {
    return new PoolMember(
        server.name(),
        server.priority(),
        s.connectionsOf(server),
        server.maxRecipientsPerMessage(),
        new SmtpClient(clientSettings(s, server, clock), clock),
        Optional.ofNullable(server.rate()).map(r -> r.permits()),
        Optional.ofNullable(server.rate()).map(r -> r.window()));
  }
}

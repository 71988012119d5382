package io.alertbridge.daemon;

import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpClientSettings;
import io.alertbridge.smtp.SmtpServer;
import io.alertbridge.smtp.pool.PoolMember;
import io.alertbridge.smtp.pool.SmtpPool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Builds the SMTP pool, with each server's own client settings, from the validated config. */
public final class SmtpWiring {
  private SmtpWiring() {}

  public static SmtpClientSettings clientSettings(SmtpSettings s, SmtpServerSettings server) {
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
        s.idleTimeout(),
        s.connectionsOf(server),
        server.maxMessagesPerConnection());
  }

  /** Every configured server behind one submitter: priorities, failover, breakers, rates. */
  public static MailSubmitter pool(SmtpSettings s, Clock clock) {
    List<PoolMember> members =
        s.servers().stream()
            .map(
                server ->
                    new PoolMember(
                        server.name(),
                        server.priority(),
                        s.connectionsOf(server),
                        server.maxRecipientsPerMessage(),
                        new SmtpClient(clientSettings(s, server), clock),
                        Optional.ofNullable(server.rate()).map(r -> r.permits()),
                        Optional.ofNullable(server.rate()).map(r -> r.window())))
            .toList();
    return new SmtpPool(
        members,
        SmtpPool.circuit(
            (float) s.circuitBreaker().failureRate().value(),
            s.circuitBreaker().minimumCalls(),
            s.circuitBreaker().openFor()),
        s.connectTimeout());
  }
}

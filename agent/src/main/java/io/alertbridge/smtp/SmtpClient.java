package io.alertbridge.smtp;

import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.config.TlsMode;
import jakarta.mail.Session;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Submits mail through one SMTP server over a small pool of connections that stay open between
 * messages. Each submission borrows one connection, so a connection carries one transaction at a
 * time.
 */
public final class SmtpClient implements MailSubmitter {
  private final BlockingQueue<SmtpConnection> idle;
  private final List<SmtpConnection> all = new ArrayList<>();

  static {
    MailProviders.useDirectLookup();
  }

  public SmtpClient(SmtpSettings settings, Clock clock) {
    SmtpServerSettings server = settings.servers().get(0);
    Session session = Session.getInstance(properties(settings, server));
    idle = new ArrayBlockingQueue<>(settings.connections());
    for (int i = 0; i < settings.connections(); i++) {
      SmtpConnection c = new SmtpConnection(session, server, clock);
      all.add(c);
      idle.add(c);
    }
  }

  static Properties properties(SmtpSettings s, SmtpServerSettings server) {
    Properties p = new Properties();
    p.put("mail.smtp.host", server.host());
    p.put("mail.smtp.port", String.valueOf(server.port()));
    // Angus Mail waits forever by default; a hung server must not hang delivery.
    p.put("mail.smtp.connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
    p.put("mail.smtp.timeout", String.valueOf(s.readTimeout().toMillis()));
    p.put("mail.smtp.writetimeout", String.valueOf(s.writeTimeout().toMillis()));
    p.put("mail.smtp.from", s.envelopeSender());
    if (s.helo() != null && !s.helo().isBlank()) {
      p.put("mail.smtp.localhost", s.helo());
    }
    // All recipients of a transaction or none: a partial send would lose the refused ones.
    p.put("mail.smtp.sendpartial", "false");
    // RSET rather than NOOP to probe an idle connection; both are harmless, RSET is universal.
    p.put("mail.smtp.userset", "true");
    p.put("mail.smtp.auth", String.valueOf(server.authenticates()));
    if (server.tls() == TlsMode.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (server.tls() == TlsMode.IMPLICIT) {
      p.put("mail.smtp.ssl.enable", "true");
    }
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    return p;
  }

  @Override
  public Receipt submit(OutgoingMail mail) throws SmtpSubmissionException {
    SmtpConnection c;
    try {
      c = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmtpSubmissionException(
          "(none)", java.util.Optional.empty(), false, "interrupted waiting for a connection", e);
    }
    try {
      return c.send(mail);
    } finally {
      idle.add(c);
    }
  }

  @Override
  public void close() {
    all.forEach(SmtpConnection::close);
  }
}

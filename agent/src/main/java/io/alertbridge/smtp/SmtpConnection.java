package io.alertbridge.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, kept open across messages. Confined to one thread at a time by {@link
 * SmtpClient}'s pool. After a failure below SMTP the connection is dropped and the next message
 * reconnects.
 */
final class SmtpConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

  /** Past this idle time the server may have hung up (Postfix: smtpd_timeout 300s); check first. */
  static final Duration IDLE_CHECK = Duration.ofSeconds(10);

  private final Session session;
  private final SmtpServer server;
  private final Clock clock;
  private SMTPTransport transport;
  private Instant lastUsed = Instant.MIN;

  SmtpConnection(Session session, SmtpServer server, Clock clock) {
    this.session = session;
    this.server = server;
    this.clock = clock;
  }

  Receipt send(OutgoingMail mail) throws SmtpSubmissionException {
    try {
      ensureConnected();
      transport.sendMessage(mail.message(), mail.recipients().toArray(new InternetAddress[0]));
      // Read the reply to DATA now: the next command on this connection overwrites it.
      SmtpReply reply = SmtpReply.parse(transport.getLastServerResponse());
      lastUsed = clock.instant();
      return Receipt.of(mail.messageId(), server.address(), reply);
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  private void ensureConnected() throws MessagingException {
    boolean idle = Duration.between(lastUsed, clock.instant()).compareTo(IDLE_CHECK) > 0;
    if (transport != null && (!idle || transport.isConnected())) {
      return;
    }
    close();
    SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
    t.connect(server.host(), server.port(), server.username(), server.password());
    log.debug("connected to {} (tls={})", server.address(), server.tls());
    transport = t;
    lastUsed = clock.instant();
  }

  private SmtpSubmissionException failure(MessagingException e) {
    Optional<SmtpReply> reply = SmtpFailures.decisiveReply(e);
    boolean permanent = reply.map(SmtpReply::isPermanentFailure).orElse(false);
    // 421 means the server is closing the channel; with no reply the failure was I/O or TLS.
    if (reply.isEmpty() || reply.get().code() == 421 || !isConnectedQuietly()) {
      close();
    }
    String what = reply.map(SmtpReply::toString).orElseGet(() -> describe(e));
    return new SmtpSubmissionException(server.address(), reply, permanent, what, e);
  }

  private boolean isConnectedQuietly() {
    return transport != null && transport.isConnected();
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(": ").append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (MessagingException ignored) {
      // Closing a connection the server already dropped fails; there is nothing left to release.
    }
    transport = null;
  }
}

package io.alertbridge.smtp;

import jakarta.mail.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;

/**
 * Submits mail through one SMTP server over a small pool of connections that stay open between
 * messages. Each submission borrows one connection, so a connection carries one transaction at a
 * time.
 *
 * <p>{@link #close()} never closes a connection a submission is using: idle ones close at once,
 * busy ones when their transaction ends. A submission after close is refused (a transient failure,
 * so the record stays uncommitted) instead of opening a socket nobody would close.
 */
public final class SmtpClient implements MailSubmitter {
  private final String server;
  private final BlockingQueue<SmtpConnection> idle;
  private static final Duration BORROW_CHECK = Duration.ofMillis(100);

  private volatile boolean closed;

  static {
    MailProviders.useDirectLookup();
  }

  /**
   * Times every socket write of this client's connections. Each write schedules a task and cancels
   * it when the write returns, so cancelled tasks are removed at once rather than left in the
   * queue. It stops once the client is closed and no connection is borrowed.
   */
  private final ScheduledThreadPoolExecutor writeTimeouts;

  private int borrowed; // guarded by this

  public SmtpClient(SmtpClientSettings settings, Clock clock) {
    this.server = settings.server().name();
    writeTimeouts =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "alertbridge-smtp-write-timeouts-" + server);
              t.setDaemon(true);
              return t;
            });
    writeTimeouts.setRemoveOnCancelPolicy(true);
    idle = new ArrayBlockingQueue<>(settings.connections());
    for (int i = 0; i < settings.connections(); i++) {
      // A session per connection, so each knows its own socket (see TrackingSockets).
      TrackingSockets sockets = new TrackingSockets();
      Session session = Session.getInstance(properties(settings, sockets, writeTimeouts));
      idle.add(new SmtpConnection(session, settings, sockets, clock));
    }
  }

  static Properties properties(
      SmtpClientSettings s, TrackingSockets sockets, ScheduledExecutorService writeTimeouts) {
    SmtpServer server = s.server();
    Properties p = new Properties();
    p.put("mail.smtp.host", server.host());
    p.put("mail.smtp.port", String.valueOf(server.port()));
    // Angus Mail waits forever by default; a hung server must not hang delivery.
    p.put("mail.smtp.connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
    p.put("mail.smtp.timeout", String.valueOf(s.readTimeout().toMillis()));
    p.put("mail.smtp.writetimeout", String.valueOf(s.writeTimeout().toMillis()));
    // Without this, Angus Mail starts a scheduler thread for every socket it opens, and a
    // connection is renewed every max-messages-per-connection mails: at 3,000 mails/s that was 30
    // threads started and stopped a second (docs/performance.md). One thread serves the client.
    p.put("mail.smtp.executor.writetimeout", writeTimeouts);
    // Only a fallback: each transaction's MAIL FROM is its own mail's envelope sender, written by
    // StagedTransport, because bounces go to a per-mail address (issue 18).
    p.put("mail.smtp.from", s.envelopeSender());
    if (s.helo() != null && !s.helo().isBlank()) {
      p.put("mail.smtp.localhost", s.helo());
    }
    // Recipients the server accepts get the mail even when others are refused (a departed
    // engineer's 550 must not keep the chief engineer's overtemp alert from him); each refused or
    // deferred one is reported with its own reply, and reportsuccess reports the accepted ones.
    p.put("mail.smtp.sendpartial", "true");
    p.put("mail.smtp.reportsuccess", "true");
    // RSET rather than NOOP to probe an idle connection; both are harmless, RSET is universal.
    p.put("mail.smtp.userset", "true");
    p.put("mail.smtp.auth", String.valueOf(server.authenticates() || s.oauth2().isPresent()));
    if (s.oauth2().isPresent()) {
      // Angus Mail offers XOAUTH2 only when asked to; the token goes where the password would.
      p.put("mail.smtp.auth.mechanisms", "XOAUTH2");
    }
    if (server.tls() == TlsMode.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (server.tls() == TlsMode.IMPLICIT) {
      p.put("mail.smtp.ssl.enable", "true");
    }
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    // This server's own trust (tls-ca-file) and client certificate, for STARTTLS and implicit TLS
    // alike; other servers, and Kafka, keep the JVM's trust store.
    SSLSocketFactory tls =
        s.tls().orElseGet(() -> (SSLSocketFactory) SSLSocketFactory.getDefault());
    p.put("mail.smtp.ssl.socketFactory", sockets.tls(tls));
    p.put("mail.smtp.socketFactory", sockets.plain());
    return p;
  }

  @Override
  public Receipt submit(OutgoingMail mail) throws SmtpSubmissionException {
    SmtpConnection c = borrow();
    try {
      return c.send(mail);
    } finally {
      giveBack(c);
    }
  }

  private SmtpConnection borrow() throws SmtpSubmissionException {
    try {
      while (!closed) {
        // Polls rather than take(): after close() a busy connection is closed, not returned, and
        // a waiter must notice the close instead of waiting for it.
        SmtpConnection c = idle.poll(BORROW_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        if (c != null) {
          synchronized (this) {
            if (!closed) {
              borrowed++;
              return c;
            }
          }
          c.close();
        }
      }
      throw notAccepted("the SMTP client is closed", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notAccepted("interrupted waiting for a connection", e);
    }
  }

  private void giveBack(SmtpConnection c) {
    synchronized (this) {
      borrowed--;
    }
    if (closed) {
      c.close();
      stopTimerIfUnused();
    } else {
      idle.add(c);
    }
  }

  private void stopTimerIfUnused() {
    synchronized (this) {
      if (!closed || borrowed > 0) {
        return;
      }
    }
    writeTimeouts.shutdownNow();
  }

  private SmtpSubmissionException notAccepted(String why, Throwable cause) {
    return new SmtpSubmissionException(server, Optional.empty(), false, why, cause);
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (SmtpConnection c; (c = idle.poll()) != null; ) {
      c.close();
    }
    stopTimerIfUnused();
  }
}

package io.alertbridge.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's transport, remembering how far the current transaction got, and waiting {@code
 * data-timeout} rather than {@code read-timeout} for the reply to the final dot. On a read timeout
 * Angus clears its last reply, so without this a timeout after the final dot (the server may have
 * the message) could not be told from one before DATA (it cannot).
 */
final class StagedTransport extends SMTPTransport {
  private volatile SmtpStage stage = SmtpStage.CONNECT;
  private final TrackingSockets sockets;
  private final Duration readTimeout;
  private final Duration dataTimeout;

  StagedTransport(
      Session session,
      String host,
      int port,
      TrackingSockets sockets,
      Duration readTimeout,
      Duration dataTimeout) {
    super(session, new URLName("smtp", host, port, null, null, null));
    this.sockets = sockets;
    this.readTimeout = readTimeout;
    this.dataTimeout = dataTimeout;
  }

  SmtpStage stage() {
    return stage;
  }

  void begin() {
    stage = SmtpStage.MAIL;
  }

  @Override
  protected void mailFrom() throws MessagingException {
    stage = SmtpStage.MAIL;
    super.mailFrom();
  }

  @Override
  protected void rcptTo() throws MessagingException {
    stage = SmtpStage.RCPT;
    super.rcptTo();
  }

  @Override
  protected OutputStream data() throws MessagingException {
    stage = SmtpStage.DATA;
    OutputStream body = super.data();
    // The server said 354: from here on it may end up with the message.
    stage = SmtpStage.END_OF_DATA;
    return body;
  }

  @Override
  protected void finishData() throws IOException, MessagingException {
    stage = SmtpStage.END_OF_DATA;
    // The reply to the final dot may take the server minutes (queueing, content filters).
    sockets.readTimeout(dataTimeout);
    try {
      super.finishData();
    } finally {
      sockets.readTimeout(readTimeout);
    }
  }
}

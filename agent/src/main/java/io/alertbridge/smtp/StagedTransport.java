package io.alertbridge.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Angus Mail's transport, remembering how far the current transaction got, and waiting {@code
 * data-timeout} rather than {@code read-timeout} for the reply to the final dot. On a read timeout
 * Angus clears its last reply, so without this a timeout after the final dot (the server may have
 * the message) could not be told from one before DATA (it cannot).
 *
 * <p>It also writes each mail's own envelope: MAIL FROM is the mail's {@code envelopeFrom} (a
 * per-mail bounce address, issue 18) rather than the session's {@code mail.smtp.from}, and when the
 * mail asks for delivery status notifications and the server offers DSN, MAIL FROM and each RCPT TO
 * carry the RFC 3461 parameters ({@link DsnParameters}).
 *
 * <p>Why by rewriting the two command lines in {@link #sendCommand}: Angus Mail takes a per-message
 * envelope sender and DSN options only from its own {@code SMTPMessage} (ours are plain {@code
 * MimeMessage}s from render, and copying one into an SMTPMessage re-parses the whole message), or
 * from session properties, which are shared by every mail on the connection. It never sends ORCPT.
 * Overriding {@code mailFrom()} or {@code rcptTo()} instead would mean copying their reply handling
 * (refused and deferred recipients, partial sends, RSET after a failure, the exception chain that
 * {@link SmtpConnection} reads); rewriting the line leaves all of that Angus's.
 */
final class StagedTransport extends SMTPTransport {
  private static final Logger log = LoggerFactory.getLogger(StagedTransport.class);
  private static final String MAIL_FROM = "MAIL FROM:";
  private static final String RCPT_TO = "RCPT TO:";

  private volatile SmtpStage stage = SmtpStage.CONNECT;
  private final String server;
  private OutgoingMail mail; // the transaction under way, used by the thread that borrowed us
  private boolean toldNoDsn;
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
    this.server = host + ":" + port;
    this.sockets = sockets;
    this.readTimeout = readTimeout;
    this.dataTimeout = dataTimeout;
  }

  SmtpStage stage() {
    return stage;
  }

  /** Starts a transaction for this mail: its envelope is what MAIL FROM and RCPT TO will say. */
  void begin(OutgoingMail mail) {
    this.mail = mail;
    stage = SmtpStage.MAIL;
  }

  @Override
  protected void mailFrom() throws MessagingException {
    stage = SmtpStage.MAIL;
    if (mail != null && mail.dsnEnvelopeId() != null && !dsn() && !toldNoDsn) {
      toldNoDsn = true;
      log.debug(
          "{} does not offer DSN (RFC 3461): mail goes without a notification request", server);
    }
    super.mailFrom();
  }

  /** Whether this transaction asks for delivery status notifications. */
  private boolean dsn() {
    return mail != null && mail.dsnEnvelopeId() != null && supportsExtension("DSN");
  }

  @Override
  protected void sendCommand(String cmd) throws MessagingException {
    super.sendCommand(mail == null ? cmd : envelope(cmd));
  }

  /**
   * The command with this mail's envelope. Angus Mail writes {@code MAIL FROM:<session sender>},
   * then its own parameters (SMTPUTF8), and {@code RCPT TO:<address>} with none (no {@code
   * mail.smtp.dsn.*} property is set). Its exceptions keep the line it built, which {@link
   * SmtpConnection} reads only for the verb.
   */
  private String envelope(String cmd) {
    if (stage == SmtpStage.MAIL && cmd.startsWith(MAIL_FROM)) {
      int endOfPath = cmd.indexOf('>');
      String parameters = endOfPath < 0 ? "" : cmd.substring(endOfPath + 1);
      return MAIL_FROM
          + "<"
          + mail.envelopeFrom()
          + ">"
          + parameters
          + (dsn() ? DsnParameters.mailFrom(mail.dsnEnvelopeId()) : "");
    }
    if (stage == SmtpStage.RCPT && cmd.startsWith(RCPT_TO) && dsn()) {
      String path = cmd.substring(RCPT_TO.length());
      String address =
          path.startsWith("<") && path.endsWith(">") ? path.substring(1, path.length() - 1) : path;
      return cmd + DsnParameters.rcptTo(address);
    }
    return cmd;
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

package io.alertbridge.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * An SMTP session for probing, on the same Angus Mail transport that submits alerts: connect and
 * EHLO (and STARTTLS when required), then one command at a time, each answered with an {@link
 * SmtpReply}. It refuses DATA and BDAT, so a probe can never send a message.
 */
public final class SmtpDialog implements AutoCloseable {
  /** How to reach the server. */
  public record Settings(
      String helo, Duration connectTimeout, Duration readTimeout, boolean requireStartTls) {}

  private final String host;
  private final int port;
  private final SMTPTransport transport;
  private final List<String> transcript;

  private SmtpDialog(String host, int port, SMTPTransport transport, List<String> transcript) {
    this.host = host;
    this.port = port;
    this.transport = transport;
    this.transcript = transcript;
  }

  /**
   * Connects and greets.
   *
   * @throws MessagingException when the server cannot be reached, refuses the session, or (with
   *     {@code requireStartTls}) does not offer STARTTLS
   */
  public static SmtpDialog open(String host, int port, Settings s, List<String> transcript)
      throws MessagingException {
    return open(host, port, s, transcript, false);
  }

  /**
   * @param utf8 send commands as UTF-8, to RCPT TO an internationalised address (RFC 6531)
   */
  public static SmtpDialog open(
      String host, int port, Settings s, List<String> transcript, boolean utf8)
      throws MessagingException {
    MailProviders.useDirectLookup();
    Properties p = new Properties();
    p.put("mail.smtp.connectiontimeout", String.valueOf(s.connectTimeout().toMillis()));
    p.put("mail.smtp.timeout", String.valueOf(s.readTimeout().toMillis()));
    p.put("mail.smtp.writetimeout", String.valueOf(s.readTimeout().toMillis()));
    p.put("mail.smtp.localhost", s.helo());
    if (utf8) {
      p.put("mail.mime.allowutf8", "true");
    }
    if (s.requireStartTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    SMTPTransport t = (SMTPTransport) Session.getInstance(p).getTransport("smtp");
    transcript.add("connect " + host + ":" + port);
    t.connect(host, port, null, null);
    transcript.add("EHLO " + s.helo());
    transcript.add(String.valueOf(t.getLastServerResponse()).strip());
    return new SmtpDialog(host, port, t, transcript);
  }

  public String server() {
    return host + ":" + port;
  }

  /** Whether the server announced the extension (e.g. {@code SMTPUTF8}) in its EHLO reply. */
  public boolean supports(String extension) {
    return transport.supportsExtension(extension);
  }

  /**
   * Sends one command and reads the reply. A reply with code -1 means the server closed the
   * connection.
   */
  public SmtpReply command(String line) throws MessagingException {
    String verb = line.strip().toUpperCase(Locale.ROOT);
    if (verb.startsWith("DATA") || verb.startsWith("BDAT")) {
      throw new IllegalArgumentException("a probe never sends " + verb);
    }
    transcript.add(line);
    int code = transport.simpleCommand(line);
    String raw = String.valueOf(transport.getLastServerResponse()).strip();
    transcript.add(raw);
    SmtpReply reply = SmtpReply.parse(raw);
    return code < 0
        ? new SmtpReply(-1, reply.enhancedStatus(), "connection closed by server")
        : reply;
  }

  /** Sends QUIT and closes. */
  @Override
  public void close() {
    try {
      transcript.add("QUIT");
      transport.close();
    } catch (MessagingException ignored) {
      // The server may already have hung up; the session is over either way.
    }
  }

  /** A fresh transcript list, for callers that do not keep their own. */
  public static List<String> newTranscript() {
    return new ArrayList<>();
  }
}

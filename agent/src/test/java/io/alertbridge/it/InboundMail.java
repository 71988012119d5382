package io.alertbridge.it;

import io.alertbridge.imap.Disposition;
import io.alertbridge.imap.InboundHandler;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Messages for the inbound mailbox, sent through a real Postfix, and a handler that counts. */
final class InboundMail {
  private InboundMail() {}

  static byte[] message(String messageId, String to) {
    return ("From: chief.engineer@plant.example\r\nTo: "
            + to
            + "\r\nMessage-ID: "
            + messageId
            + "\r\nSubject: Re: [FIRING] engine overtemp\r\n\r\nack\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** An SMTP connection to a Postfix; each send returns once Postfix answered 250 to the DATA. */
  static final class Sender implements AutoCloseable {
    private final Session session;
    private final Transport transport;

    Sender(int port) throws Exception {
      Properties p = new Properties();
      p.put("mail.smtp.host", "127.0.0.1");
      p.put("mail.smtp.port", String.valueOf(port));
      p.put("mail.smtp.connectiontimeout", "10000");
      p.put("mail.smtp.timeout", "10000");
      session = Session.getInstance(p);
      transport = session.getTransport("smtp");
      transport.connect();
    }

    void send(String messageId, String to) throws Exception {
      MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(message(messageId, to)));
      // sendMessage, not Transport.send: that would saveChanges() and replace the Message-ID.
      transport.sendMessage(m, m.getAllRecipients());
    }

    @Override
    public void close() throws jakarta.mail.MessagingException {
      transport.close();
    }
  }

  /** Counts every call and remembers when each Message-ID was first handed over. */
  static final class CountingHandler implements InboundHandler {
    final AtomicInteger calls = new AtomicInteger();
    final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();

    @Override
    public Disposition handle(byte[] raw, long uid) {
      long now = System.nanoTime();
      calls.incrementAndGet();
      firstSeenNanos.putIfAbsent(messageId(new String(raw, StandardCharsets.US_ASCII)), now);
      return Disposition.PROCESSED;
    }

    private static String messageId(String raw) {
      for (String line : raw.split("\r\n")) {
        if (line.regionMatches(true, 0, "Message-ID: ", 0, 12)) {
          return line.substring(12).trim();
        }
      }
      return "";
    }
  }
}

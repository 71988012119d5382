package io.alertbridge.demo;

import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/** A mail the demo's SMTP server received, read as a person's mail client shows it. */
record DemoMail(SmtpSink.Received raw, MimeMessage message) {
  private static final Session SESSION = Session.getInstance(new Properties());

  static DemoMail of(SmtpSink.Received r) {
    try {
      return new DemoMail(r, new MimeMessage(SESSION, new ByteArrayInputStream(r.data())));
    } catch (MessagingException e) {
      throw new IllegalStateException("the demo's SMTP server received an unreadable mail", e);
    }
  }

  /** Its envelope recipient: each recipient gets a mail of its own. */
  String to() {
    return raw.recipients().get(0);
  }

  String subject() {
    try {
      String s = message.getSubject();
      return s == null ? "" : s;
    } catch (MessagingException e) {
      return "";
    }
  }

  String messageId() {
    return header("Message-ID");
  }

  String inReplyTo() {
    return header("In-Reply-To");
  }

  String replyTo() {
    return header("Reply-To");
  }

  String date() {
    return header("Date");
  }

  private String header(String name) {
    try {
      String v = message.getHeader(name, ",");
      return v == null ? "" : v.trim();
    } catch (MessagingException e) {
      return "";
    }
  }

  /** The first line of its text that starts with {@code prefix}, or its first line. */
  String line(String prefix) {
    String[] lines = text().split("\\R");
    return Arrays.stream(lines)
        .map(String::strip)
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElse(lines[0]);
  }

  /** Its first {@code n} non-blank lines of text, each indented. */
  String firstLines(int n, String indent) {
    return text()
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .limit(n)
        .map(l -> indent + l)
        .collect(Collectors.joining(System.lineSeparator()));
  }

  /** The text/plain part. */
  String text() {
    try {
      return text(message.getContent());
    } catch (IOException | MessagingException e) {
      return "";
    }
  }

  private static String text(Object content) throws IOException, MessagingException {
    if (content instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart p = mp.getBodyPart(i);
        if (p.isMimeType("text/plain") || p.isMimeType("multipart/*")) {
          String t = text(p.getContent());
          if (!t.isEmpty()) {
            return t;
          }
        }
      }
      return "";
    }
    return content instanceof String s ? s : "";
  }
}

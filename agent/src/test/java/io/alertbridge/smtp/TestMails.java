package io.alertbridge.smtp;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/** Small hand-built messages for SMTP tests. */
public final class TestMails {
  private TestMails() {}

  public static OutgoingMail mail(String messageId, String body, String... to) throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress("alerts@plant.example"));
    List<InternetAddress> rcpts = new java.util.ArrayList<>();
    for (String t : to) {
      rcpts.add(new InternetAddress(t));
    }
    m.setRecipients(Message.RecipientType.TO, rcpts.toArray(new InternetAddress[0]));
    m.setSubject("test " + messageId);
    m.setText(body, "UTF-8");
    m.saveChanges();
    m.setHeader("Message-ID", messageId);
    return new OutgoingMail(m, messageId, "alerts@plant.example", rcpts);
  }
}

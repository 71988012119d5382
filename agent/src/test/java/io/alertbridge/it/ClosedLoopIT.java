package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed with real servers (issue 18), on the default path with two instances: alerts go
 * through a real Postfix to the people (an SMTP sink); a reply goes through that Postfix into a
 * real Dovecot mailbox the instances watch; a mail to a recipient a second Postfix refuses bounces
 * back from the first as a delivery status notification into the same mailbox.
 */
@ExtendWith(KafkaFixture.class)
class ClosedLoopIT {
  static final String CHIEF = "chief.engineer@plant.example";
  static final String SUPER = "superintendent@plant.example";
  static final String BRIDGE = "bridge@plant.example";
  static final String LOST = "lost@far.example";

  private static final String ROUTES =
      """
      routes:
        - name: engine
          match: {labels: {room: engine}}
          to: [chief.engineer@plant.example]
          template: overtemp
          group-by: [labels.site]
          group-wait: 1s
          group-interval: 2s
          repeat-interval: 8s
          escalate:
            - {after: 15s, to: [superintendent@plant.example]}
        - name: hold
          match: {labels: {room: hold}}
          to: [lost@far.example]
          template: plain
          group-wait: 1s
          on-bounce: [bridge@plant.example]
        - name: default
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;

  @TempDir Path dir;

  /** The servers of one test: the people's inbox, Dovecot, Postfix in front, Postfix behind. */
  private record Servers(
      SmtpSink people, DovecotInstance mailbox, PostfixInstance far, PostfixInstance mx)
      implements AutoCloseable {
    static Servers start() throws Exception {
      SmtpSink people = SmtpSink.start();
      DovecotInstance mailbox = DovecotInstance.start();
      PostfixInstance far =
          PostfixInstance.start(
              Map.of(
                  "relay_domains", "far.example",
                  "smtpd_recipient_restrictions", "check_recipient_access texthash:{etc}/access"),
              Map.of(
                  "access",
                  LOST + " 550 5.1.1 <" + LOST + ">: Recipient address rejected: User unknown\n"));
      PostfixInstance mx =
          PostfixInstance.start(
              Map.of(
                  "relay_domains", "alertbridge.example, plant.example, far.example",
                  "transport_maps", "texthash:{etc}/transport"),
              Map.of(
                  "transport",
                  "alertbridge.example lmtp:inet:127.0.0.1:"
                      + mailbox.lmtpPort()
                      + "\nplant.example smtp:[127.0.0.1]:"
                      + people.port()
                      + "\nfar.example smtp:[127.0.0.1]:"
                      + far.port()
                      + "\n"));
      return new Servers(people, mailbox, far, mx);
    }

    @Override
    public void close() throws java.io.IOException {
      try (people;
          far;
          mx) {
        mailbox.close();
      } catch (Exception e) {
        throw new java.io.IOException(e);
      }
    }
  }

  private String config(Servers s) throws Exception {
    Path key = dir.resolve("inbound.key");
    if (!Files.exists(key)) {
      Files.write(key, UUID.randomUUID().toString().repeat(2).getBytes());
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
    return PolicyRuns.config(ROUTES, "  max-event-age: 1h\n")
        + "inbound:\n"
        + "  host: 127.0.0.1\n"
        + "  port: "
        + s.mailbox().imapPort()
        + "\n  username: "
        + DovecotInstance.USER
        + "\n  password: "
        + DovecotInstance.PASSWORD
        + "\n  reply-address: alertbridge+r-{token}@alertbridge.example\n"
        + "  bounce-address: alertbridge+b-{token}@alertbridge.example\n"
        + "  key-file: "
        + key
        + "\n  poll-interval: 5s\n";
  }

  private static List<JsonNode> audit(RunningDaemon a, RunningDaemon b) throws Exception {
    return Stream.concat(a.audit().stream(), b.audit().stream()).toList();
  }

  private static List<JsonNode> lines(List<JsonNode> audit, String status) {
    return audit.stream().filter(l -> l.get("status").asText().equals(status)).toList();
  }

  private static List<MimeMessage> mailsTo(SmtpSink sink, String to) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    for (SmtpSink.Received r : sink.received()) {
      if (r.recipients().contains(to)) {
        out.add(PolicyRuns.parse(r));
      }
    }
    return out;
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text/plain part of a mail's content. */
  private static String text(Object content) throws Exception {
    if (content instanceof jakarta.mail.Multipart mp) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < mp.getCount(); i++) {
        jakarta.mail.BodyPart p = mp.getBodyPart(i);
        if (p.isMimeType("text/plain") || p.isMimeType("multipart/*")) {
          sb.append(text(p.getContent()));
        }
      }
      return sb.toString();
    }
    return content.toString();
  }

  /** A person's reply, sent through Postfix as a mail client would. */
  private static void reply(PostfixInstance mx, MimeMessage alert, String from, String body)
      throws Exception {
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(mx.port()));
    MimeMessage r = new MimeMessage(Session.getInstance(p));
    r.setFrom(new InternetAddress(from));
    r.setRecipients(Message.RecipientType.TO, alert.getReplyTo());
    r.setSubject("Re: " + alert.getSubject(), "UTF-8");
    r.setHeader("In-Reply-To", alert.getMessageID());
    r.setText(body + "\n\nOn Tue, 1 Dec 2026 alertbridge wrote:\n> " + alert.getSubject() + "\n");
    Transport.send(r);
  }

  @Test
  void aReplyAcknowledgesStopsRemindersAndEscalationWhileAnUnansweredGroupEscalates(
      KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "loop-" + UUID.randomUUID();
    try (Servers s = Servers.start()) {
      String yaml = config(s);
      try (RunningDaemon a =
              RunningDaemon.start(kafka, dir.resolve("a"), s.mx().port(), yaml, topic, group);
          RunningDaemon b =
              RunningDaemon.start(kafka, dir.resolve("b"), s.mx().port(), yaml, topic, group)) {
        var one = PolicyRuns.reading("loop-1", "T1", "firing");
        var two = PolicyRuns.reading("loop-2", "T2", "firing");
        ((com.fasterxml.jackson.databind.node.ObjectNode) two.get("labels")).put("site", "ship-2");
        RunningDaemon.produce(
            kafka, List.of(PolicyRuns.record(topic, one), PolicyRuns.record(topic, two)));
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(s.people(), CHIEF).size() >= 2);
        MimeMessage alert =
            mailsTo(s.people(), CHIEF).stream()
                .filter(m -> subject(m).contains("T1"))
                .findFirst()
                .orElseThrow();
        assertThat(alert.getReplyTo()[0].toString())
            .startsWith("alertbridge+r-")
            .endsWith("@alertbridge.example");
        assertThat(alert.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");

        long replied = System.nanoTime();
        reply(s.mx(), alert, CHIEF, "ack");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !lines(audit(a, b), "acknowledged").isEmpty());
        System.out.printf(
            "reply accepted by Postfix to acknowledged audit line: %d ms%n",
            (System.nanoTime() - replied) / 1_000_000);
        JsonNode acked = lines(audit(a, b), "acknowledged").get(0);
        assertThat(acked.get("ack").get("by").asText()).isEqualTo(CHIEF);
        assertThat(acked.get("ack").get("channel").asText()).isEqualTo("reply");

        // The confirmation comes in the alert's thread, marked as an automatic reply.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    mailsTo(s.people(), CHIEF).stream()
                        .anyMatch(m -> subject(m).startsWith("[ACKNOWLEDGED]")));
        MimeMessage confirmation =
            mailsTo(s.people(), CHIEF).stream()
                .filter(m -> subject(m).startsWith("[ACKNOWLEDGED]"))
                .findFirst()
                .orElseThrow();
        assertThat(confirmation.getHeader("In-Reply-To")[0]).isEqualTo(alert.getMessageID());
        assertThat(confirmation.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
        assertThat(text(confirmation.getContent())).contains("Acknowledged by " + CHIEF);

        // The unanswered site escalates to the superintendent; the acknowledged one does not.
        await().atMost(Duration.ofSeconds(45)).until(() -> !mailsTo(s.people(), SUPER).isEmpty());
        Thread.sleep(10_000);
        List<MimeMessage> escalated = mailsTo(s.people(), SUPER);
        assertThat(escalated).hasSize(1);
        assertThat(subject(escalated.get(0))).startsWith("[ESCALATED]").contains("T2");
        long remindersOfAcked =
            mailsTo(s.people(), CHIEF).stream().filter(m -> subject(m).contains("T1")).count();
        long remindersOfOther =
            mailsTo(s.people(), CHIEF).stream().filter(m -> subject(m).contains("T2")).count();
        assertThat(remindersOfAcked)
            .as("the first mail only; the confirmation names no alert")
            .isEqualTo(1);
        assertThat(remindersOfOther)
            .as("the unanswered group is reminded every 8 s")
            .isGreaterThan(1);
        assertThat(s.mailbox().messageIds("alertbridge/processed")).hasSize(1);
      }
    }
  }

  @Test
  void aBounceTwoHopsLaterIsAuditedWithTheQueueIdAndEventAndTheFallbackIsTold(
      KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "bounce-" + UUID.randomUUID();
    try (Servers s = Servers.start()) {
      String yaml = config(s);
      try (RunningDaemon a =
              RunningDaemon.start(kafka, dir.resolve("a"), s.mx().port(), yaml, topic, group);
          RunningDaemon b =
              RunningDaemon.start(kafka, dir.resolve("b"), s.mx().port(), yaml, topic, group)) {
        var e = PolicyRuns.reading("bounce-1", "H1", "firing");
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("labels")).put("room", "hold");
        RunningDaemon.produce(kafka, List.of(PolicyRuns.record(topic, e)));

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> !lines(audit(a, b), "bounced").isEmpty());
        JsonNode sent =
            lines(audit(a, b), "sent").stream()
                .filter(l -> l.get("event_ids").toString().contains("bounce-1"))
                .findFirst()
                .orElseThrow();
        JsonNode bounced = lines(audit(a, b), "bounced").get(0);
        assertThat(bounced.get("recipients").get(0).asText()).isEqualToIgnoringCase(LOST);
        assertThat(bounced.get("enhanced_status").asText()).isEqualTo("5.1.1");
        assertThat(bounced.get("reply_text").asText()).contains("User unknown");
        assertThat(bounced.get("queue_id").asText()).isEqualTo(sent.get("queue_id").asText());
        assertThat(bounced.get("message_id").asText()).isEqualTo(sent.get("message_id").asText());
        assertThat(bounced.get("event_ids").toString()).contains("bounce-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> !mailsTo(s.people(), BRIDGE).isEmpty());
        MimeMessage fallback = mailsTo(s.people(), BRIDGE).get(0);
        assertThat(subject(fallback)).startsWith("[UNREACHABLE]");
        assertThat(text(fallback.getContent())).contains("could not be delivered to: " + LOST);
        Thread.sleep(5000);
        assertThat(mailsTo(s.people(), BRIDGE)).as("told once").hasSize(1);
        assertThat(
                Collections.frequency(
                    lines(audit(a, b), "bounced").stream()
                        .map(l -> l.get("message_id").asText())
                        .toList(),
                    sent.get("message_id").asText()))
            .isEqualTo(1);
      }
    }
  }

  /**
   * Measures, does not assert speed: the time from Postfix accepting a reply (it then hands it to
   * Dovecot over LMTP within milliseconds) to the {@code acknowledged} audit line, with IDLE, over
   * one reply per group. Printed for docs/performance.md.
   */
  @Test
  void replyToAcknowledgementLatencyIsMeasured(KafkaFixture.Broker kafka) throws Exception {
    int groups = 20;
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "latency-" + UUID.randomUUID();
    try (Servers s = Servers.start()) {
      String yaml = config(s);
      try (RunningDaemon a =
              RunningDaemon.start(kafka, dir.resolve("a"), s.mx().port(), yaml, topic, group);
          RunningDaemon b =
              RunningDaemon.start(kafka, dir.resolve("b"), s.mx().port(), yaml, topic, group)) {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records =
            new ArrayList<>();
        for (int i = 0; i < groups; i++) {
          var e = PolicyRuns.reading("lat-" + i, "S" + i + "X", "firing");
          ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("labels"))
              .put("site", "site-" + i);
          records.add(PolicyRuns.record(topic, e));
        }
        RunningDaemon.produce(kafka, records);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> mailsTo(s.people(), CHIEF).size() >= groups);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
          String sensor = "S" + i + "X";
          MimeMessage alert =
              mailsTo(s.people(), CHIEF).stream()
                  .filter(m -> subject(m).contains(sensor))
                  .findFirst()
                  .orElseThrow();
          int before = lines(audit(a, b), "acknowledged").size();
          long t0 = System.nanoTime();
          reply(s.mx(), alert, CHIEF, "ack");
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(10))
              .until(() -> lines(audit(a, b), "acknowledged").size() > before);
          millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf(
            "reply to acknowledged, %d replies, two instances, IDLE: p50 %d ms, p99 %d ms, max %d ms%n",
            groups,
            millis.get(groups / 2),
            millis.get((int) Math.ceil(groups * 0.99) - 1),
            millis.get(groups - 1));
        assertThat(lines(audit(a, b), "acknowledged")).hasSize(groups);
        assertThat(s.mailbox().messageIds("alertbridge/processed")).hasSize(groups);
      }
    }
  }
}

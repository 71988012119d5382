package io.alertbridge.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.InboundSettings;
import io.alertbridge.config.RouteSettings.EscalationStep;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.smtp.TlsMode;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The loop closed (issue 18): an IMAP mailbox the daemon watches, a scripted "ack" reply to an
 * alert and its confirmation, an alert nobody answers escalating, and a bounce traced back to the
 * event whose mail bounced.
 */
final class DemoLoop implements AutoCloseable {
  static final String USER = "alertbridge";
  static final String DOMAIN = "alertbridge.plant.example";

  /** The first escalation step's wait, shortened as the demo shortens group-wait. */
  static final Duration ESCALATE_AFTER = Duration.ofSeconds(10);

  /** What this part saw; each field is null until its step succeeded. */
  record Outcome(
      AuditRecord acknowledged,
      List<DemoMail> confirmations,
      DemoMail escalated,
      AuditRecord bounced,
      DemoMail unreachable,
      int mails) {
    static final Outcome NONE = new Outcome(null, List.of(), null, null, null, 0);

    boolean complete() {
      return acknowledged != null
          && !confirmations.isEmpty()
          && escalated != null
          && bounced != null
          && unreachable != null;
    }
  }

  private final GreenMail mailbox;
  private final GreenMailUser user;
  private final String password;
  private final Path keyFile;
  private final List<AuditRecord> audited;
  private final PrintStream out;
  private final Clock clock;

  private DemoLoop(
      GreenMail mailbox,
      GreenMailUser user,
      String password,
      Path keyFile,
      List<AuditRecord> audited,
      PrintStream out,
      Clock clock) {
    this.mailbox = mailbox;
    this.user = user;
    this.password = password;
    this.keyFile = keyFile;
    this.audited = audited;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Starts the mailbox (plain IMAP on a free loopback port) and writes the key of reply and bounce
   * tokens to {@code dir}, owner-only: the daemon refuses a key others can read.
   */
  static DemoLoop start(Path dir, List<AuditRecord> audited, PrintStream out, Clock clock)
      throws IOException {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    Path keyFile = dir.resolve("inbound.key");
    Files.deleteIfExists(keyFile);
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(keyFile, key);
    byte[] secret = new byte[18];
    random.nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    // GreenMail warns of every delivery status report it stores: it does not know the RFC 3464
    // type.
    if (LoggerFactory.getLogger("com.icegreen.greenmail") instanceof Logger l) {
      l.setLevel(Level.ERROR);
    }
    GreenMail mailbox =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
    mailbox.start();
    GreenMailUser user = mailbox.setUser(USER + "@" + DOMAIN, USER, password);
    return new DemoLoop(mailbox, user, password, keyFile, audited, out, clock);
  }

  int port() {
    return mailbox.getImap().getPort();
  }

  /** The configuration's {@code inbound}, as the demo sets it. */
  InboundSettings inbound() {
    return new InboundSettings(
        "127.0.0.1",
        port(),
        TlsMode.NONE,
        null,
        USER,
        password,
        null,
        "alerts+{token}@" + DOMAIN,
        "bounces+{token}@" + DOMAIN,
        null,
        keyFile.toAbsolutePath().toString(),
        null,
        Duration.ofSeconds(5),
        null);
  }

  /** A route's escalation, shortened: its first step only, after {@link #ESCALATE_AFTER}. */
  static List<EscalationStep> quick(List<EscalationStep> steps) {
    return steps.isEmpty() ? steps : List.of(new EscalationStep(ESCALATE_AFTER, steps.get(0).to()));
  }

  /**
   * Produces an alert for each of ship-3 and ship-4, answers ship-3's with "ack", bounces the PLC
   * alert's mail, and waits for what the daemon makes of it all, until {@code deadline}
   * (System.nanoTime).
   */
  Outcome run(SmtpSink smtp, DemoOperators.Producer producer, String topic, long deadline)
      throws Exception {
    out.printf(
        "Closing the loop: the daemon watches an IMAP mailbox (127.0.0.1:%d, user %s) for replies"
            + " and bounces.%n",
        port(), USER);
    producer.produce(
        List.of(
            DemoEvents.acked(topic, clock.instant()),
            DemoEvents.unanswered(topic, clock.instant())));
    out.printf(
        "Produced overtemp readings of ship-3 and ship-4: two incidents of engine-critical, which"
            + " escalates after %ds unless someone answers \"ack\".%n%n",
        ESCALATE_AFTER.toSeconds());
    Predicate<DemoMail> ship3 = m -> m.subject().startsWith("[FIRING:1] overtemp ship-3");
    Optional<DemoMail> alert = await(() -> first(smtp, ship3), deadline);
    if (alert.isEmpty()) {
      return Outcome.NONE;
    }
    reply(alert.get());
    Optional<SmtpSink.Received> plc = bounce(smtp);

    Optional<AuditRecord> acked = await(line(AuditStatus.ACKNOWLEDGED), deadline);
    int told = (int) smtp.received().stream().map(DemoMail::of).filter(ship3).count();
    List<String> threads =
        smtp.received().stream().map(DemoMail::of).filter(ship3).map(DemoMail::messageId).toList();
    Predicate<DemoMail> confirmation =
        m -> m.subject().startsWith("[ACKNOWLEDGED]") && threads.contains(m.inReplyTo());
    await(
        () -> all(smtp, confirmation).size() >= told ? Optional.of(1) : Optional.empty(), deadline);
    List<DemoMail> confirmations = all(smtp, confirmation);
    acked.ifPresent(a -> out.printf("  audit: %s%n", a.toJson()));
    for (DemoMail m : confirmations) {
      out.printf("  confirmation to %s: %s%n", m.to(), m.line("Acknowledged by"));
    }
    out.println();

    AuditRecord bounced = plc.isEmpty() ? null : bounced(plc.get(), smtp, deadline);
    Optional<DemoMail> unreachable =
        await(() -> first(smtp, m -> m.subject().startsWith("[UNREACHABLE]")), deadline);
    unreachable.ifPresent(
        m -> out.printf("  on-bounce: \"%s\" mailed to %s%n%n", m.subject(), m.to()));

    Optional<DemoMail> escalated =
        await(() -> first(smtp, m -> m.subject().startsWith("[ESCALATED]")), deadline);
    escalated.ifPresent(
        m ->
            out.printf(
                "Nobody answered ship-4's mail: %ds later the route's escalation step mails %s:%n"
                    + "  %s%n%s%n",
                ESCALATE_AFTER.toSeconds(), m.to(), m.subject(), m.firstLines(4, "    ")));
    // Every mail this part caused: the alerts and what followed them.
    int mails =
        (int)
            smtp.received().stream()
                .map(DemoMail::of)
                .filter(
                    m ->
                        m.subject().matches("\\[FIRING:1\\] overtemp ship-[34]")
                            || m.subject().matches("\\[(ACKNOWLEDGED|ESCALATED|UNREACHABLE)].*"))
                .count();
    return new Outcome(
        acked.orElse(null),
        confirmations,
        escalated.orElse(null),
        bounced,
        unreachable.orElse(null),
        mails);
  }

  /** The recipient's "ack", as a mail client writes it, delivered into the mailbox. */
  private void reply(DemoMail alert) throws MessagingException {
    MimeMessage r = new MimeMessage(Session.getInstance(new Properties()));
    r.setFrom(new InternetAddress(alert.to()));
    r.setRecipients(Message.RecipientType.TO, alert.replyTo());
    r.setSubject("Re: " + alert.subject(), "UTF-8");
    r.setHeader("In-Reply-To", alert.messageId());
    r.setHeader("References", alert.messageId());
    r.setText("ack\n\nOn " + alert.date() + ", Engine Room Monitor wrote:\n> " + alert.subject());
    r.saveChanges();
    user.deliver(r);
    out.printf(
        "%s answers \"%s\" with the line \"ack\", to its Reply-To %s:%n",
        alert.to(), alert.subject(), hidden(alert.replyTo()));
  }

  /** The report of the PLC alert's mail bouncing two hops later, delivered into the mailbox. */
  private Optional<SmtpSink.Received> bounce(SmtpSink smtp) throws Exception {
    Optional<AuditRecord> sent =
        audited.stream()
            .filter(a -> a.status() == AuditStatus.SENT)
            .filter(a -> a.eventIds().contains(DemoEvents.PLC_ID))
            .findFirst();
    Optional<SmtpSink.Received> mail =
        sent.flatMap(
            s -> smtp.received().stream().filter(r -> r.queueId().equals(s.queueId())).findFirst());
    if (mail.isPresent()) {
      user.deliver(
          new MimeMessage(
              Session.getInstance(new Properties()),
              new ByteArrayInputStream(DemoBounce.report(mail.get(), sent.get().messageId()))));
    }
    return mail;
  }

  private AuditRecord bounced(SmtpSink.Received mail, SmtpSink smtp, long deadline)
      throws InterruptedException {
    out.printf(
        "The PLC alert's mail to %s was queued as %s; the server behind refused it and a delivery"
            + " status report came back to its envelope sender %s.%n",
        mail.recipients().get(0), mail.queueId(), hidden(mail.envelopeFrom()));
    Optional<AuditRecord> b = await(line(AuditStatus.BOUNCED), deadline);
    b.ifPresent(
        a ->
            out.printf(
                "  audit: %s%n  event %s: queued as %s for %s, bounced later: %s %s%n",
                a.toJson(),
                String.join(",", a.eventIds()),
                a.queueId(),
                String.join(",", a.recipients()),
                a.enhancedStatus(),
                // The diagnostic without the reply code and status it repeats.
                a.replyText() == null
                    ? ""
                    : a.replyText().replaceFirst("^\\d{3} \\Q" + a.enhancedStatus() + "\\E ", "")));
    return b.orElse(null);
  }

  /** An address with its token cut short: tokens are secrets, even in a demo. */
  private static String hidden(String address) {
    return address.replaceAll("\\+(\\w{4})\\w*@", "+$1…@");
  }

  private Supplier<Optional<AuditRecord>> line(AuditStatus status) {
    return () -> audited.stream().filter(a -> a.status() == status).findFirst();
  }

  private static Optional<DemoMail> first(SmtpSink smtp, Predicate<DemoMail> p) {
    return smtp.received().stream().map(DemoMail::of).filter(p).findFirst();
  }

  private static List<DemoMail> all(SmtpSink smtp, Predicate<DemoMail> p) {
    return smtp.received().stream().map(DemoMail::of).filter(p).toList();
  }

  private static <T> Optional<T> await(Supplier<Optional<T>> what, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      Optional<T> t = what.get();
      if (t.isPresent()) {
        return t;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    mailbox.stop();
  }
}

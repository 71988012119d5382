package io.alertbridge.demo;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.config.InboundSettings;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.daemon.Daemon;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.route.Router;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code alertbridge-demo}: a real broker and a real SMTP server in this JVM, the shipped
 * configuration, a handful of engine-room readings, and the real pipeline between them; then an
 * operator's silence and an inhibition ({@link DemoOperators}), and the loop closed through a
 * mailbox: an acknowledgement by reply, an escalation and a bounce ({@link DemoLoop}).
 */
public final class Demo {
  public static final String TOPIC = "alerts";
  public static final String GROUP = "alertbridge-demo";

  /** The shipped configuration's waits, shortened: the demo shows grouping in seconds. */
  static final Duration GROUP_WAIT = Duration.ofSeconds(2);

  static final Duration GROUP_INTERVAL = Duration.ofSeconds(5);

  /** How the demo runs: which configuration, where its output goes, whether it stays up. */
  public record Options(Path config, Path outDir, boolean keepRunning, Duration timeout) {}

  private final Options options;
  private final PrintStream out;
  private final List<AuditRecord> audited = new CopyOnWriteArrayList<>();

  /** Mails the demo's events make with the configuration it runs: set once it is loaded. */
  private int expectedMails;

  /** Events the demo produced, the malformed one included. */
  private int produced;

  /** The silence and the inhibition: set once that part ran. */
  private DemoOperators.Outcome operated = new DemoOperators.Outcome(null, null, null);

  /** The reply, the escalation and the bounce: set once that part ran. */
  private DemoLoop.Outcome looped = DemoLoop.Outcome.NONE;

  public Demo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the demo; returns 0 when every event had the expected outcome. */
  public int run() throws Exception {
    Path mailDir = options.outDir().resolve("mail");
    Path auditFile = options.outDir().resolve("audit.jsonl");
    Files.createDirectories(mailDir);
    Files.deleteIfExists(auditFile);
    try (var old = Files.list(mailDir)) {
      old.forEach(f -> f.toFile().delete());
    }
    out.println(
        "Starting an in-process Kafka broker (KRaft) and an SMTP server that answers like Postfix...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink smtp = SmtpSink.start();
        DemoLoop loop = DemoLoop.start(options.outDir(), audited, out, Clock.systemUTC())) {
      smtp.onReceived(m -> writeEml(mailDir, m));
      kafka.createTopics(2, TOPIC, "alerts.dlq");
      out.printf("  Kafka at %s, SMTP at 127.0.0.1:%d%n", kafka.bootstrapServers(), smtp.port());

      DemoOperators operators =
          DemoOperators.prepare(options.outDir(), audited, out, Clock.systemUTC());
      Map<String, String> env = environment(kafka, smtp, auditFile);
      operators.environment(env);
      AlertbridgeConfig config =
          quick(new ConfigLoader(env).load(options.config()), loop.inbound());
      // Each recipient gets a mail of its own: the overtemp group's mail goes to every address of
      // its route's list, the two other events' and the PLC alert's to the default route's.
      int engine = recipients(config, "engine-critical");
      int other = recipients(config, "default");
      expectedMails = 2 * engine + 3 * other;
      // The configuration file is named in the silence command each mail ends with.
      Daemon daemon =
          new Daemon(
              config,
              Clock.systemUTC(),
              this::printing,
              KafkaClientFactory.REAL,
              options.config().toAbsolutePath());
      Thread runner = new Thread(daemon::run, "alertbridge-demo-daemon");
      runner.start();

      List<ProducerRecord<byte[], byte[]>> firing =
          DemoEvents.firing(TOPIC, Clock.systemUTC().instant());
      produce(kafka, firing);
      out.printf(
          "Produced %d engine-room events to topic %s: four overtemp readings of one site (one"
              + " alert group), one malformed.%n%n",
          firing.size(), TOPIC);
      long deadline = System.nanoTime() + options.timeout().toNanos();
      boolean done = awaitSent(2 * other + engine, deadline);
      if (done) {
        List<ProducerRecord<byte[], byte[]>> resolved =
            DemoEvents.resolved(TOPIC, Clock.systemUTC().instant());
        produce(kafka, resolved);
        out.printf(
            "%nProduced %d events: both overtemp alerts cleared. The resolve mail replies in the"
                + " same thread after group-interval.%n%n",
            resolved.size());
        done = awaitSent(2 * other + 2 * engine, deadline);
      }
      Optional<InetSocketAddress> http = daemon.httpAddress();
      if (done && http.isEmpty()) {
        out.printf("%s has no http.listen: no API to add a silence through.%n", options.config());
      }
      if (done && http.isPresent()) {
        operated = operators.run(http.get(), e -> produce(kafka, e), TOPIC, deadline);
        done = operated.complete() && awaitSent(expectedMails, deadline);
      }
      if (done) {
        looped = loop.run(smtp, e -> produce(kafka, e), TOPIC, deadline);
        expectedMails += looped.mails();
        done = looped.complete() && awaitSent(expectedMails, deadline);
      }
      if (options.keepRunning()) {
        keepRunning(kafka, smtp);
      }
      daemon.stop();
      runner.join();
      daemon.close();
      return summarise(done, mailDir, auditFile);
    }
  }

  /**
   * The shipped configuration with its waits shortened (group-wait 2 s, group-interval 5 s, the
   * first escalation step 10 s, no mute), so the demo shows grouping, a resolve and an escalation
   * in seconds rather than minutes; and with the demo's mailbox as {@code inbound}.
   */
  static AlertbridgeConfig quick(AlertbridgeConfig c, InboundSettings inbound) {
    List<RouteSettings> routes =
        c.routes().stream()
            .map(
                r ->
                    new RouteSettings(
                        r.name(),
                        r.match(),
                        r.to(),
                        r.template(),
                        r.continueMatching(),
                        r.groupBy(),
                        GROUP_WAIT,
                        GROUP_INTERVAL,
                        r.repeatInterval(),
                        r.sendResolved(),
                        List.of(),
                        r.alertTimeout(),
                        r.onAlertTimeout(),
                        r.flapDetection(),
                        DemoLoop.quick(r.escalate()),
                        r.ackTtl(),
                        r.onBounce()))
            .toList();
    return new AlertbridgeConfig(
        c.kafka(),
        c.smtp(),
        c.lists(),
        routes,
        c.templates(),
        c.audit(),
        c.delivery(),
        c.policy(),
        c.http(),
        c.logging(),
        c.inhibit(),
        inbound);
  }

  private static int recipients(AlertbridgeConfig config, String route) {
    return Router.of(config).routes().stream()
        .filter(r -> r.name().equals(route))
        .mapToInt(r -> r.recipients(Instant.now()).size())
        .findFirst()
        .orElse(1);
  }

  private boolean awaitSent(int mails, long deadline) throws InterruptedException {
    while (System.nanoTime() < deadline) {
      if (audited.stream().filter(a -> a.status() == AuditStatus.SENT).count() >= mails) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private Map<String, String> environment(EmbeddedKafka kafka, SmtpSink smtp, Path auditFile) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("KAFKA_GROUP_ID", GROUP);
    env.put("ALERT_TOPIC", TOPIC);
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(smtp.port()));
    env.put("SMTP_TLS", "none");
    env.put("SMTP_USERNAME", "");
    env.put("SMTP_PASSWORD", "");
    env.put("AUDIT_FILE", auditFile.toString());
    return env;
  }

  private AuditLog printing(AuditLog delegate) {
    return new AuditLog() {
      @Override
      public void append(AuditRecord record) {
        delegate.append(record);
        audited.add(record);
        out.println("audit: " + record.toJson());
      }

      @Override
      public void close() {
        delegate.close();
      }
    };
  }

  private void produce(EmbeddedKafka kafka, List<ProducerRecord<byte[], byte[]>> events)
      throws Exception {
    produced += events.size();
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers", kafka.bootstrapServers(),
            "key.serializer", ByteArraySerializer.class.getName(),
            "value.serializer", ByteArraySerializer.class.getName(),
            "acks", "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (ProducerRecord<byte[], byte[]> e : events) {
        producer.send(e).get();
      }
    }
  }

  private static void writeEml(Path dir, SmtpSink.Received m) {
    try {
      Files.write(dir.resolve(m.queueId() + ".eml"), m.data());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void keepRunning(EmbeddedKafka kafka, SmtpSink smtp) throws InterruptedException {
    out.printf(
        "%nStill running (--keep-running). Produce more events to topic %s at %s;"
            + " mail arrives at SMTP port %d. Press Ctrl-C to stop.%n",
        TOPIC, kafka.bootstrapServers(), smtp.port());
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
    forever.await();
  }

  private int summarise(boolean done, Path mailDir, Path auditFile) throws IOException {
    long sent = count(a -> a.status() == AuditStatus.SENT);
    long withQueueId = count(a -> a.status() == AuditStatus.SENT && a.queueId() != null);
    long invalid = count(a -> a.status() == AuditStatus.INVALID);
    long grouped = suppressed("grouped");
    long silenced = suppressed("silenced");
    long inhibited = suppressed("inhibited");
    out.println();
    out.println("Summary:");
    for (AuditRecord a : audited) {
      out.printf(
          "  %-13s %-16s events %-60s queue ID %-10s%s%n",
          a.status().wireName(),
          a.route() == null ? "-" : a.route(),
          a.eventIds().isEmpty() ? "(none)" : String.join(",", a.eventIds()),
          a.queueId() == null ? "-" : a.queueId(),
          why(a));
    }
    try (var mails = Files.list(mailDir)) {
      out.printf(
          "%d mails accepted with queue IDs for %d events (%d readings folded into a group mail,"
              + " %d silenced, %d inhibited), %d invalid event dead-lettered to alerts.dlq.%n",
          withQueueId, produced, grouped, silenced, inhibited, invalid);
      out.printf(
          "%d alert acknowledged by reply, %d escalated, %d bounce traced to its event.%n",
          count(a -> a.status() == AuditStatus.ACKNOWLEDGED),
          looped.escalated() == null ? 0 : 1,
          count(a -> a.status() == AuditStatus.BOUNCED));
      out.printf(
          "Received mails (.eml): %s (%d files); audit log: %s%n",
          mailDir, mails.count(), auditFile);
    }
    // The silenced reading names the demo's silence, the inhibited one the PLC alert.
    boolean operatorsOk =
        operated.complete()
            && operated.silenceId().equals(operated.silenced().cause())
            && DemoEvents.plcFingerprint().equals(operated.inhibited().cause());
    boolean ok =
        done
            && operatorsOk
            && looped.complete()
            && sent == expectedMails
            && withQueueId == expectedMails
            && invalid == 1
            && grouped == 2
            && silenced == 1
            && inhibited == 1;
    out.println(ok ? "Demo OK." : "Demo FAILED: not every event had its expected outcome.");
    return ok ? 0 : 1;
  }

  private long count(java.util.function.Predicate<AuditRecord> p) {
    return audited.stream().filter(p).count();
  }

  private long suppressed(String reason) {
    return count(a -> a.status() == AuditStatus.SUPPRESSED && reason.equals(a.reason()));
  }

  /** The summary's last column: why a line is not a mail, and what decided it. */
  private static String why(AuditRecord a) {
    if (a.silence() != null) {
      return "  silence " + a.silence().id() + " by " + a.silence().createdBy();
    }
    if (a.reason() == null) {
      return "";
    }
    return "  reason: " + a.reason() + (a.cause() == null ? "" : ", cause " + a.cause());
  }
}

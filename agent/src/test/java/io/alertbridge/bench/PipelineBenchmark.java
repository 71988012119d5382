package io.alertbridge.bench;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.daemon.Daemon;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.Progress;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.TestMails;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures the real pipeline: an in-process KRaft broker, the daemon, and the Postfix-like SMTP
 * sink over loopback. Prints figures; asserts nothing. Run with:
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.PipelineBenchmark -Dexec.args="5000 1000"
 * </pre>
 *
 * Arguments: events for the throughput run (default 5000); N, for latency runs of N/200 seconds
 * each at 200, 500 and 1,000 events/s after a 20 s warm-up at 500/s (default 1000); and optionally
 * the port of an SMTP server on 127.0.0.1 (a local Postfix, say) for the SMTP-only comparison,
 * which otherwise uses the sink.
 */
public final class PipelineBenchmark {
  private static final String TOPIC = "bench";

  private PipelineBenchmark() {}

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int steady = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    System.out.printf(
        "alertbridge pipeline benchmark: %d cores, Java %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      kafka.createTopics(1, TOPIC, TOPIC + ".dlq");
      int smtpPort = args.length > 2 ? Integer.parseInt(args[2]) : sink.port();
      smtpOnly(
          smtpPort,
          args.length > 2 ? "127.0.0.1:" + smtpPort : "the sink",
          Math.min(backlog, 2000));
      Path dir = Files.createTempDirectory("alertbridge-bench-");
      Map<String, Long> producedAt = new ConcurrentHashMap<>();
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch[] done = {new CountDownLatch(backlog)};
      AlertbridgeConfig config =
          new ConfigLoader(
                  ConfigFixtures.env(
                      kafka.bootstrapServers(),
                      TOPIC,
                      "bench",
                      sink.port(),
                      dir.resolve("audit.jsonl")))
              .load(ConfigFixtures.write(dir, ConfigFixtures.VALID));
      Daemon daemon =
          new Daemon(
              config,
              Clock.systemUTC(),
              delegate ->
                  new AuditLog() {
                    @Override
                    public void append(AuditRecord r) {
                      delegate.append(r);
                      Long t0 = producedAt.remove(r.eventId());
                      if (t0 != null) {
                        latencies.add(System.nanoTime() - t0);
                      }
                      done[0].countDown();
                    }

                    @Override
                    public void close() {
                      delegate.close();
                    }
                  });

      // Throughput: a backlog that is already on the topic when the daemon starts.
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        for (int i = 0; i < backlog; i++) {
          producer.send(record("backlog-" + i));
        }
        producer.flush();
        long start = System.nanoTime();
        Thread runner = new Thread(daemon::run, "bench-daemon");
        runner.start();
        done[0].await(10, TimeUnit.MINUTES);
        new Progress(kafka.bootstrapServers(), "bench", TOPIC)
            .awaitCommittedToEnd(Duration.ofMinutes(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "throughput: %d events (a backlog) delivered and committed in %.2f s ="
                + " %.0f events/s over one reused SMTP connection%n",
            backlog, seconds, backlog / seconds);

        // Latency: after a warm-up, steady rates into the pipeline, produce to server acceptance.
        int runSeconds = Math.max(1, steady / 200);
        pace(producer, producedAt, done, "warmup", 500, 20, latencies);
        latencies.clear();
        for (int rate : new int[] {200, 500, 1000}) {
          pace(producer, producedAt, done, "steady" + rate, rate, runSeconds, latencies);
          printLatencies(rate, latencies);
          latencies.clear();
        }
        daemon.stop();
        runner.join();
        daemon.close();
      }
    }
  }

  /**
   * {@code rate} events a second for {@code seconds}, evenly spaced; waits until all are mailed.
   */
  private static void pace(
      KafkaProducer<byte[], byte[]> producer,
      Map<String, Long> producedAt,
      CountDownLatch[] done,
      String prefix,
      int rate,
      int seconds,
      List<Long> latencies)
      throws InterruptedException {
    int n = rate * seconds;
    done[0] = new CountDownLatch(n);
    long start = System.nanoTime();
    long gap = 1_000_000_000L / rate;
    for (int i = 0; i < n; i++) {
      long due = start + i * gap;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      String id = prefix + "-" + i;
      producedAt.put(id, System.nanoTime());
      producer.send(record(id));
    }
    done[0].await(5, TimeUnit.MINUTES);
  }

  /** The same mails over one reused connection and over one connection each. */
  private static void smtpOnly(int port, String server, int n) throws Exception {
    List<OutgoingMail> mails = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mails.add(TestMails.mail("<bench-" + i + "@test>", "reading " + i, "ops@plant.example"));
    }
    try (SmtpClient client =
        new SmtpClient(io.alertbridge.smtp.LoopbackSmtp.forPort(port), Clock.systemUTC())) {
      long start = System.nanoTime();
      for (OutgoingMail m : mails) {
        client.submit(m);
      }
      report("SMTP only to " + server + ", one reused connection", n, start);
    }
    Properties p = new Properties();
    p.put("mail.smtp.host", "127.0.0.1");
    p.put("mail.smtp.port", Integer.toString(port));
    Session session = Session.getInstance(p);
    long start = System.nanoTime();
    for (OutgoingMail m : mails) {
      // What a naive design does: connect, EHLO, send, QUIT, for every mail.
      try (Transport t = session.getTransport("smtp")) {
        t.connect();
        t.sendMessage(m.message(), m.message().getAllRecipients());
      }
    }
    report("SMTP only to " + server + ", one connection per mail", n, start);
  }

  private static void report(String what, int n, long startNanos) {
    double s = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%s: %d mails in %.2f s = %.0f mails/s%n", what, n, s, n / s);
  }

  private static void printLatencies(int rate, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      System.out.println("latency: no samples");
      return;
    }
    System.out.printf(
        "latency (produce -> 250 -> audit) at %4d events/s, %d events: p50 %.1f ms, p99 %.1f ms,"
            + " p99.9 %.1f ms, max %.1f ms%n",
        rate,
        sorted.size(),
        LatencyPlot.percentileMs(sorted, 50),
        LatencyPlot.percentileMs(sorted, 99),
        LatencyPlot.percentileMs(sorted, 99.9),
        sorted.get(sorted.size() - 1) / 1e6);
  }

  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "acks",
            "all",
            "linger.ms",
            "0",
            "key.serializer",
            ByteArraySerializer.class.getName(),
            "value.serializer",
            ByteArraySerializer.class.getName()));
  }

  static ProducerRecord<byte[], byte[]> record(String id) {
    String json =
        """
        {"id": "%s", "time": "2026-11-28T13:05:00Z", "source": "engine-room/plc-3",
         "type": "temperature", "severity": "info", "summary": "Engine room temperature 71.2 °C",
         "labels": {"site": "ship-1", "room": "engine"}, "values": {"temperature_c": 71.2}}"""
            .formatted(id);
    return new ProducerRecord<>(TOPIC, json.getBytes(StandardCharsets.UTF_8));
  }
}

package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A burst of distinct alerts, one mail per alert, side by side in one run into the same Postfix
 * {@code smtp-sink}: Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}, {@code
 * group_by: ['...']}, {@code group_wait: 0s}, alerts posted to its API in batches of 64 as
 * Prometheus does) against the packaged alertbridge daemon, both already running and warmed up by a
 * first, smaller burst. The figure is mails per second from the burst's first alert sent to its
 * last mail received. alertbridge runs twice: through the notification policy (one group per alert,
 * {@code group-wait: 0s}: the same work Alertmanager does) and on the direct path. Prints figures;
 * asserts nothing.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.AlertmanagerBenchmark -Dexec.args="5000"
 * </pre>
 */
public final class AlertmanagerBenchmark {
  private static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
  private static final int PROMETHEUS_BATCH = 64;
  private static final List<String> JVM = BenchRuns.jvm("-XX:+ExitOnOutOfMemoryError");

  private AlertmanagerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int burst = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int warmup = Math.max(100, burst / 5);
    int partitions = Integer.getInteger("partitions", 4);
    Path dir = Files.createTempDirectory("alertbridge-am-bench");
    System.out.printf(
        "alertmanager benchmark: %d cores, Java %s, %s; bursts of %d distinct alerts after a"
            + " warm-up of %d, one mail per alert, %d partitions, daemon JVM %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        version(),
        burst,
        warmup,
        partitions,
        String.join(" ", JVM));
    Counter mails = new Counter();
    int port = EmbeddedKafka.freePort();
    Process sink = postfixSink(port, mails);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      double am = alertmanager(dir, port, mails, warmup, burst);
      kafka.createTopics(
          partitions, "policy1", "policy1.dlq", "policy4", "policy4.dlq", "direct4", "direct4.dlq");
      System.out.println();
      System.out.println("| sender | SMTP connections | mails/s | against Alertmanager |");
      System.out.println("|---|---|---|---|");
      System.out.printf("| Alertmanager | one per mail | %.0f | 1× |%n", am);
      for (String run : List.of("policy1", "policy4", "direct4")) {
        double rate = alertbridge(kafka, dir, port, mails, run, warmup, burst);
        System.out.printf(
            "| alertbridge, %s | %s | %.0f | %.1f× |%n",
            run.startsWith("policy") ? "policy (group-wait 0s)" : "direct path",
            run.substring(run.length() - 1),
            rate,
            rate / am);
      }
    } finally {
      sink.destroyForcibly();
    }
  }

  /**
   * Postfix's {@code smtp-sink}, the cheapest server there is, so that the senders are measured and
   * not the sink; {@code -c} prints its running message count, which feeds the counter.
   */
  private static Process postfixSink(int port, Counter mails) throws Exception {
    Process sink =
        new ProcessBuilder(
                "/usr/sbin/smtp-sink", "-c", "-u", "postfix", "127.0.0.1:" + port, "1024")
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (var in = sink.getInputStream()) {
                StringBuilder field = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                  if (c == ' ' || c == '\r' || c == '\n') {
                    if (field.toString().startsWith("mesg=")) {
                      mails.counted(Integer.parseInt(field.substring(5)));
                    }
                    field.setLength(0);
                  } else {
                    field.append((char) c);
                  }
                }
              } catch (java.io.IOException | NumberFormatException gone) {
                // the sink was stopped
              }
            },
            "smtp-sink-counter");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(300);
    if (!sink.isAlive()) {
      throw new IllegalStateException("smtp-sink did not start (Debian's postfix package)");
    }
    return sink;
  }

  /** Mails at the sink since the last reset, and when the last one came. */
  private static final class Counter {
    final AtomicInteger total = new AtomicInteger();
    final AtomicInteger base = new AtomicInteger();
    final AtomicInteger count = new AtomicInteger();
    final AtomicLong last = new AtomicLong();

    void counted(int sinkTotal) {
      if (sinkTotal != total.get()) {
        total.set(sinkTotal);
        last.set(System.nanoTime());
        count.set(sinkTotal - base.get());
      }
    }

    void reset() {
      base.set(total.get());
      count.set(0);
    }

    /** Waits for {@code n} mails; the rate from {@code startNanos} to the n-th. */
    double await(int n, long startNanos, String what) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (count.get() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + ": " + count.get() + " of " + n + " mails");
        }
        Thread.sleep(5);
      }
      return n / ((last.get() - startNanos) / 1e9);
    }
  }

  private static String version() {
    try {
      Process p =
          new ProcessBuilder(ALERTMANAGER.toString(), "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return out.lines().findFirst().orElse("alertmanager").trim();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "needs Debian's prometheus-alertmanager (apt-get install prometheus-alertmanager)", e);
    }
  }

  private static double alertmanager(Path dir, int smtpPort, Counter mails, int warmup, int burst)
      throws Exception {
    Path amDir = Files.createDirectories(dir.resolve("alertmanager"));
    Path config = amDir.resolve("alertmanager.yml");
    // What an operator writes for one mail per alert, at once: group by every label, no wait.
    Files.writeString(
        config,
        """
        global:
          smtp_from: alerts@plant.example
          smtp_smarthost: 127.0.0.1:%d
          smtp_require_tls: false
        route:
          receiver: mail
          group_by: ['...']
          group_wait: 0s
          group_interval: 1m
          repeat_interval: 4h
        receivers:
          - name: mail
            email_configs:
              - to: ops@plant.example
                send_resolved: false
        """
            .formatted(smtpPort));
    int port = EmbeddedKafka.freePort();
    Process am =
        new ProcessBuilder(
                ALERTMANAGER.toString(),
                "--config.file=" + config,
                "--storage.path=" + amDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(amDir.resolve("alertmanager.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitReady(http, base.resolve("/-/ready"));
      mails.reset();
      postAlerts(http, base, "warm", warmup);
      mails.await(warmup, System.nanoTime(), "Alertmanager's warm-up");
      mails.reset();
      long start = System.nanoTime();
      postAlerts(http, base, "burst", burst);
      return mails.await(burst, start, "Alertmanager's burst");
    } finally {
      am.destroy();
      am.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitReady(HttpClient http, URI ready) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("Alertmanager did not become ready");
  }

  private static void postAlerts(HttpClient http, URI base, String prefix, int n) throws Exception {
    String now = Instant.now().toString();
    for (int from = 0; from < n; from += PROMETHEUS_BATCH) {
      List<String> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + PROMETHEUS_BATCH); i++) {
        batch.add(
            ("{\"labels\":{\"alertname\":\"overtemp\",\"sensor\":\"%s-%d\",\"severity\":\"warning\"},"
                    + "\"annotations\":{\"summary\":\"reading %d of %s-%d\"},\"startsAt\":\"%s\"}")
                .formatted(prefix, i, i, prefix, i, now));
      }
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "Alertmanager answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  private static double alertbridge(
      EmbeddedKafka kafka,
      Path dir,
      int smtpPort,
      Counter mails,
      String topic,
      int warmup,
      int burst)
      throws Exception {
    Path runDir = Files.createDirectories(dir.resolve(topic));
    String yaml =
        BenchRuns.config(
            !topic.startsWith("direct"), Integer.parseInt(topic.substring(topic.length() - 1)));
    Path config = ConfigFixtures.write(runDir, yaml);
    Map<String, String> env =
        new HashMap<>(
            ConfigFixtures.env(
                kafka.bootstrapServers(), topic, topic, smtpPort, runDir.resolve("audit.jsonl")));
    Process p = DaemonJvm.start(runDir, config, env, JVM);
    try (KafkaProducer<byte[], byte[]> producer = PipelineBenchmark.producer(kafka)) {
      mails.reset();
      BenchRuns.produceAlerts(producer, topic, "warm", warmup);
      mails.await(warmup, System.nanoTime(), "alertbridge's warm-up (" + topic + ")");
      mails.reset();
      long start = System.nanoTime();
      BenchRuns.produceAlerts(producer, topic, "burst", burst);
      return mails.await(burst, start, "alertbridge's burst (" + topic + ")");
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
  }
}

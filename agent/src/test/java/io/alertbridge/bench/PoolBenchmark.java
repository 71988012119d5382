package io.alertbridge.bench;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.config.LoggingSettings;
import io.alertbridge.daemon.Daemon;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.LoggerFactory;

/**
 * alertbridge against Postfix's own load generator, side by side in one run: the same number of
 * messages into the same {@code smtp-sink}, with 1 and 4 SMTP sessions ({@code smtp-source -s N}
 * against {@code smtp.connections: N}), alertbridge from a Kafka backlog to committed offsets. Then
 * the packaged daemon's resident memory while it works through a large backlog with 4 connections.
 * Needs Debian's {@code postfix} package. {@code -Dbench.mailLines=false} runs alertbridge with
 * {@code logging.mail-lines: false}. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.PoolBenchmark -Dexec.args="20000 100000"
 * </pre>
 */
public final class PoolBenchmark {
  private static final Path SINK = Path.of("/usr/sbin/smtp-sink");
  private static final Path SOURCE = Path.of("/usr/sbin/smtp-source");

  /** {@code -Dbench.mailLines=false}: {@code logging.mail-lines: false}. */
  private static final boolean MAIL_LINES =
      Boolean.parseBoolean(System.getProperty("bench.mailLines", "true"));

  private PoolBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rssBacklog = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    if (!MAIL_LINES) {
      // What logging.mail-lines: false does in the packaged daemon, for the in-process runs.
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LoggingSettings.MAIL_LOGGER))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    System.out.printf(
        "alertbridge pool benchmark: %d cores, Java %s, %d messages per run, per-mail log lines"
            + " %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        n,
        MAIL_LINES ? "on" : "off");
    int port = EmbeddedKafka.freePort();
    Process sink =
        new ProcessBuilder(SINK.toString(), "-u", "postfix", "127.0.0.1:" + port, "256")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Thread.sleep(500);
    Path dir = Files.createTempDirectory("alertbridge-pool-bench-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopics(Integer.getInteger("partitions", 4), "pool", "pool.dlq", "rss", "rss.dlq");
      fill(kafka, "pool", n);
      System.out.println("| sessions | smtp-source msg/s | alertbridge events/s | ratio |");
      System.out.println("|---|---|---|---|");
      for (int sessions : List.of(1, 4)) {
        double source = smtpSource(port, sessions, n);
        double ours = alertbridge(kafka, dir, port, sessions, n);
        System.out.printf("| %d | %.0f | %.0f | %.2f× |%n", sessions, source, ours, ours / source);
      }
      if (rssBacklog > 0) {
        fill(kafka, "rss", rssBacklog);
        rss(kafka, dir, port, rssBacklog);
      }
    } finally {
      sink.destroyForcibly();
    }
  }

  private static void fill(EmbeddedKafka kafka, String topic, int n) {
    try (KafkaProducer<byte[], byte[]> p = PipelineBenchmark.producer(kafka)) {
      for (int i = 0; i < n; i++) {
        ProducerRecord<byte[], byte[]> r = PipelineBenchmark.record(topic + "-" + i);
        p.send(new ProducerRecord<>(topic, r.value()));
      }
      p.flush();
    }
  }

  /** Postfix's own client: messages of about the size alertbridge's plain template renders. */
  private static double smtpSource(int port, int sessions, int n) throws Exception {
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(
                SOURCE.toString(),
                "-s",
                Integer.toString(sessions),
                "-m",
                Integer.toString(n),
                "-l",
                "700",
                "-f",
                "alerts@plant.example",
                "-t",
                "ops@plant.example",
                "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("smtp-source failed");
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static String yaml(int connections) {
    return ConfigFixtures.VALID.replace(
            "  read-timeout: 5s\n", "  read-timeout: 5s\n  connections: " + connections + "\n")
        + (MAIL_LINES ? "" : "logging:\n  mail-lines: false\n");
  }

  /** From a backlog already on the topic to every offset committed. */
  private static double alertbridge(EmbeddedKafka kafka, Path dir, int port, int connections, int n)
      throws Exception {
    String group = "pool-" + connections;
    Path runDir = Files.createDirectories(dir.resolve(group));
    AlertbridgeConfig config =
        new ConfigLoader(
                ConfigFixtures.env(
                    kafka.bootstrapServers(), "pool", group, port, runDir.resolve("audit.jsonl")))
            .load(ConfigFixtures.write(runDir, yaml(connections)));
    Daemon daemon = new Daemon(config, Clock.systemUTC(), UnaryOperator.identity());
    long start = System.nanoTime();
    Thread runner = new Thread(daemon::run, "bench-daemon");
    runner.start();
    new Progress(kafka.bootstrapServers(), group, "pool")
        .awaitCommittedToEnd(Duration.ofMinutes(10));
    double rate = n / ((System.nanoTime() - start) / 1e9);
    daemon.stop();
    runner.join();
    daemon.close();
    return rate;
  }

  /** The packaged daemon in its own JVM: its largest resident set while it drains the backlog. */
  private static void rss(EmbeddedKafka kafka, Path dir, int port, int n) throws Exception {
    Path runDir = Files.createDirectories(dir.resolve("rss"));
    Path config = ConfigFixtures.write(runDir, yaml(4));
    Map<String, String> env =
        new HashMap<>(
            ConfigFixtures.env(
                kafka.bootstrapServers(), "rss", "rss", port, runDir.resolve("audit.jsonl")));
    // -Dbench.jvm="..." replaces the daemon's JVM flags (a profiler, another heap).
    List<String> jvm =
        List.of(
            System.getProperty("bench.jvm", "-Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m")
                .trim()
                .split("\\s+"));
    long start = System.nanoTime();
    Process p = DaemonJvm.start(runDir, config, env, jvm);
    long maxKb = 0;
    Progress progress = new Progress(kafka.bootstrapServers(), "rss", "rss");
    while (!progress.awaitCommittedToEnd(Duration.ofMillis(200))) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "the daemon died: " + Files.readString(runDir.resolve("daemon.log")));
      }
      maxKb = Math.max(maxKb, DaemonJvm.rssKb(p.pid()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    p.destroy();
    p.waitFor(60, TimeUnit.SECONDS);
    System.out.printf(
        "RSS while draining a %d-event backlog with 4 connections (%s): max %d MiB;"
            + " %.0f events/s including JVM start%n",
        n, String.join(" ", jvm), maxKb / 1024, n / seconds);
  }
}

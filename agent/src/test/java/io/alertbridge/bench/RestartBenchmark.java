package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A restart in the middle of a storm, the packaged daemon in its own JVM: it runs, mails a first
 * batch, is stopped by SIGTERM (as systemd or Kubernetes stop it), a backlog of events arrives
 * while it is down, and it starts again. Prints, for the direct path and through the policy, the
 * time from the second process start to its first mail and to the backlog's last.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.RestartBenchmark -Dexec.args="5000"
 * </pre>
 */
public final class RestartBenchmark {
  private static final List<String> JVM = BenchRuns.jvm("-XX:+ExitOnOutOfMemoryError");

  private RestartBenchmark() {}

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    Path dir = Files.createTempDirectory("alertbridge-restart-bench");
    System.out.printf(
        "restart benchmark: %d cores, Java %s, %d events arrive while the daemon is down, daemon"
            + " JVM %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        backlog,
        String.join(" ", JVM));
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      BenchRuns.MailTimes times = BenchRuns.MailTimes.listen(sink);
      AtomicInteger mails = times.mails();
      AtomicLong first = times.first();
      AtomicLong last = times.last();
      kafka.createTopics(4, "direct", "direct.dlq", "policy", "policy.dlq");
      System.out.println("| path | first run's stop | second start to first mail | to last mail |");
      System.out.println("|---|---|---|---|");
      for (String topic : List.of("direct", "policy")) {
        Path runDir = Files.createDirectories(dir.resolve(topic));
        Path config = ConfigFixtures.write(runDir, BenchRuns.config(topic.equals("policy"), 1));
        Map<String, String> env =
            new HashMap<>(
                ConfigFixtures.env(
                    kafka.bootstrapServers(),
                    topic,
                    topic,
                    sink.port(),
                    runDir.resolve("audit.jsonl")));
        try (KafkaProducer<byte[], byte[]> producer = PipelineBenchmark.producer(kafka)) {
          mails.set(0);
          Process run1 = DaemonJvm.start(runDir, config, env, JVM);
          BenchRuns.produceAlerts(producer, topic, "before", 200);
          await(mails, 200, run1, runDir);
          long stopStart = System.nanoTime();
          run1.destroy();
          run1.waitFor(60, TimeUnit.SECONDS);
          double stopSeconds = (System.nanoTime() - stopStart) / 1e9;
          Files.move(runDir.resolve("daemon.log"), runDir.resolve("daemon-1.log"));

          BenchRuns.produceAlerts(producer, topic, "storm", backlog);
          mails.set(0);
          long start = System.nanoTime();
          Process run2 = DaemonJvm.start(runDir, config, env, JVM);
          try {
            await(mails, backlog, run2, runDir);
          } finally {
            run2.destroy();
            run2.waitFor(60, TimeUnit.SECONDS);
          }
          System.out.printf(
              "| %s | %.1f s | %.2f s | %.2f s |%n",
              topic.equals("direct") ? "direct" : "policy (group-wait 0s)",
              stopSeconds,
              (first.get() - start) / 1e9,
              (last.get() - start) / 1e9);
        }
      }
    }
  }

  private static void await(AtomicInteger mails, int n, Process p, Path runDir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (mails.get() < n) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            mails.get()
                + " of "
                + n
                + " mails; daemon log:\n"
                + Files.readString(runDir.resolve("daemon.log")));
      }
      Thread.sleep(5);
    }
  }
}

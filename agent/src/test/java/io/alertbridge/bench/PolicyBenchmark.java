package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.Progress;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the notification policy costs, the packaged daemon in its own JVM each time:
 *
 * <ol>
 *   <li>N distinct alerts without the policy ({@code policy.enabled: false}) and with the default
 *       policy (one group per alert) and {@code group-wait: 0s}: mails per second at the SMTP
 *       server, from its first mail to its last, and the ratio;
 *   <li>a storm of M readings over 100 sensors with {@code group-by: [labels.sensor]}: how long the
 *       policy takes to consume it, how many mails result, and the daemon's largest resident set.
 * </ol>
 *
 * Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.PolicyBenchmark -Dexec.args="10000 100000"
 * </pre>
 */
public final class PolicyBenchmark {
  /** The daemon's JVM flags; {@code -Dbench.jvm="..."} replaces them. */
  private static final List<String> JVM =
      List.of(
          System.getProperty("bench.jvm", "-Xmx128m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m")
              .trim()
              .split("\\s+"));

  private PolicyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int alerts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int storm = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int partitions = Integer.getInteger("partitions", 4);
    Path dir = Files.createTempDirectory("alertbridge-policy-bench");
    System.out.printf(
        "%d cores, %d partitions, daemon JVM %s%n",
        Runtime.getRuntime().availableProcessors(), partitions, String.join(" ", JVM));
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      BenchRuns.MailTimes times = BenchRuns.MailTimes.listen(sink);
      AtomicInteger mails = times.mails();
      AtomicLong first = times.first();
      AtomicLong last = times.last();
      kafka.createTopics(
          partitions, "direct", "direct.dlq", "policy", "policy.dlq", "storm", "storm.dlq");
      fill(kafka, "direct", alerts, alerts);
      fill(kafka, "policy", alerts, alerts);
      fill(kafka, "storm", storm, 100);

      double direct = drain(kafka, dir, sink, "direct", DIRECT, alerts, mails, first, last).rate;
      double policy =
          drain(kafka, dir, sink, "policy", GROUP_PER_ALERT, alerts, mails, first, last).rate;
      System.out.printf(
          "%d distinct alerts, one SMTP connection: without the policy %.0f mails/s, with the"
              + " default policy (group-wait 0s) %.0f mails/s: %.0f%%%n",
          alerts, direct, policy, 100 * policy / direct);

      Run s = drain(kafka, dir, sink, "storm", STORM, 100, mails, first, last);
      System.out.printf(
          "storm of %d readings over 100 sensors (group-by sensor, group-wait 2s): consumed in"
              + " %.1f s including JVM start (%.0f readings/s), %d mails, max RSS %d MiB%n",
          storm, s.seconds, storm / s.seconds, s.mails, s.maxRssKb / 1024);
    }
  }

  private static final String DIRECT =
      "  enabled: false  # these tests are about delivery: one mail per event, at once\n";
  private static final String GROUP_PER_ALERT = "group-wait: 0s";
  private static final String STORM = "group-by: [labels.sensor]\n    group-wait: 2s";

  private record Run(double rate, double seconds, int mails, long maxRssKb) {}

  private static String yaml(String mode) {
    if (mode.equals(DIRECT)) {
      return ConfigFixtures.VALID;
    }
    return ConfigFixtures.VALID
        .replace("    template: plain\n", "    template: plain\n    " + mode + "\n")
        .replace(DIRECT, "  max-event-age: 1h\n");
  }

  /** N events now; alert i has sensor i % sensors, so {@code sensors} distinct alerts. */
  private static void fill(EmbeddedKafka kafka, String topic, int n, int sensors) {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "key.serializer",
            "org.apache.kafka.common.serialization.ByteArraySerializer",
            "value.serializer",
            "org.apache.kafka.common.serialization.ByteArraySerializer",
            "linger.ms",
            20);
    String now = Instant.now().toString();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
      for (int i = 0; i < n; i++) {
        String json =
            ("{\"id\":\"%s-%d\",\"time\":\"%s\",\"source\":\"bench\",\"type\":\"reading\","
                    + "\"severity\":\"info\",\"summary\":\"reading %d of s%d\","
                    + "\"labels\":{\"sensor\":\"s%d\"},\"values\":{\"v\":%d}}")
                .formatted(topic, i, now, i, i % sensors, i % sensors, i);
        p.send(
            new ProducerRecord<>(
                topic,
                (topic + "-" + i).getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
      }
      p.flush();
    }
  }

  /** Runs the packaged daemon until {@code expectedMails} arrived and the input is consumed. */
  private static Run drain(
      EmbeddedKafka kafka,
      Path dir,
      SmtpSink sink,
      String topic,
      String mode,
      int expectedMails,
      AtomicInteger mails,
      AtomicLong first,
      AtomicLong last)
      throws Exception {
    mails.set(0);
    Path runDir = Files.createDirectories(dir.resolve(topic));
    Path config = ConfigFixtures.write(runDir, yaml(mode));
    Map<String, String> env =
        new HashMap<>(
            ConfigFixtures.env(
                kafka.bootstrapServers(),
                topic,
                topic,
                sink.port(),
                runDir.resolve("audit.jsonl")));
    long start = System.nanoTime();
    Process p = DaemonJvm.start(runDir, config, env, JVM);
    long maxKb = 0;
    // Without the policy the daemon's group reads the topic; with it, the policy stage's.
    String inputGroup = mode.equals(DIRECT) ? topic : topic + ".state";
    Progress input = new Progress(kafka.bootstrapServers(), inputGroup, topic);
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    double consumed = 0;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "the daemon died: " + Files.readString(runDir.resolve("daemon.log")));
      }
      maxKb = Math.max(maxKb, DaemonJvm.rssKb(p.pid()));
      if (consumed == 0 && input.awaitCommittedToEnd(Duration.ofMillis(100))) {
        consumed = (System.nanoTime() - start) / 1e9;
      }
      if (consumed > 0 && mails.get() >= expectedMails) {
        break;
      }
      Thread.sleep(100);
    }
    Thread.sleep(3000);
    maxKb = Math.max(maxKb, DaemonJvm.rssKb(p.pid()));
    p.destroy();
    p.waitFor(60, TimeUnit.SECONDS);
    int n = mails.get();
    double rate = n < 2 ? 0 : (n - 1) / ((last.get() - first.get()) / 1e9);
    return new Run(rate, consumed, n, maxKb);
  }
}

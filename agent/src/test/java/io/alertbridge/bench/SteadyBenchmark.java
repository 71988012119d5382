package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.smtp.LoopbackSmtp;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.TestMails;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency from produce to the SMTP server's acceptance with the packaged daemon in a JVM of its
 * own, as a user runs it: the broker and the SMTP sink in this JVM, one mail per event, one SMTP
 * connection, all on the same cores. A producer sends evenly spaced events at 500/s from the start;
 * the daemon is started cold into that stream, and after its first 40 s the rate steps to 200, 500
 * and 1,000 events/s for 20 s each. Prints mails per second and latency percentiles of the cold
 * start's first seconds, p50/p99/p99.9 of each steady phase, and writes each second's figures to
 * {@code steady.csv} and a plot to {@code steady.png} in the run's directory ({@code
 * -Dbench.plot=docs/steady.png} puts the plot there instead).
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.SteadyBenchmark -Dexec.args="20"
 * </pre>
 *
 * The argument is the length of each phase in seconds (default 20). {@code -Dbench.jvm="..."} gives
 * the daemon's JVM flags; {@code -Dbench.policy=true} sends the events through the notification
 * policy (one group per alert, {@code group-wait: 0s}); {@code -Dbench.policy=both} runs the direct
 * path and then the policy in one run and prints their percentiles side by side (each plot gets a
 * {@code -direct} or {@code -policy} suffix).
 */
public final class SteadyBenchmark {
  private static final List<String> JVM = BenchRuns.jvm("-XX:+ExitOnOutOfMemoryError");
  private static final String POLICY = System.getProperty("bench.policy", "false");
  private static final Pattern SUBJECT = Pattern.compile("Subject: [a-z]+: reading (\\S+)");

  /** One stretch of the run at a constant rate. */
  record Phase(String name, int rate, int seconds) {}

  /** A mail's latency and when it arrived, in nanoseconds since the daemon's process start. */
  record Sample(long arrivedNanos, long latencyNanos) {}

  private SteadyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int partitions = Integer.getInteger("partitions", 4);
    List<Phase> phases =
        List.of(
            new Phase("cold start", 500, seconds),
            new Phase("warm-up", 500, seconds),
            new Phase("200/s", 200, seconds),
            new Phase("500/s", 500, seconds),
            new Phase("1000/s", 1000, seconds));
    // both: the direct path, then the policy, one after the other against the same warm broker and
    // sink, so the two are compared within one run (issue 16) rather than across days.
    List<Boolean> paths =
        POLICY.equals("both") ? List.of(false, true) : List.of(POLICY.equals("true"));
    Path dir = Files.createTempDirectory("alertbridge-steady-bench");
    System.out.printf(
        "alertbridge steady-state benchmark: %d cores (%s), Java %s, %d partitions, one SMTP"
            + " connection, %s, daemon JVM %s%n",
        Runtime.getRuntime().availableProcessors(),
        BenchRuns.load(),
        System.getProperty("java.version"),
        partitions,
        POLICY.equals("both")
            ? "direct path, then through the policy (group-wait 0s)"
            : paths.get(0) ? "through the policy (group-wait 0s)" : "direct path",
        String.join(" ", JVM));
    Map<String, Long> producedAt = new ConcurrentHashMap<>();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    long[] daemonStart = new long[1];
    Map<Boolean, List<Sample>> byPath = new java.util.LinkedHashMap<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      sink.onReceived(
          m -> {
            long now = System.nanoTime();
            Matcher id = SUBJECT.matcher(m.dataAsString());
            if (id.find()) {
              Long sent = producedAt.remove(id.group(1));
              if (sent != null) {
                samples.add(new Sample(now - daemonStart[0], now - sent));
              }
            }
          });
      kafka.createTopics(partitions, "steady", "steady.dlq", "warm-broker");
      kafka.createTopics(partitions, "steady-policy", "steady-policy.dlq");
      // Only the daemon starts cold, as after a restart at a plant: the broker and the sink have
      // been serving for a while.
      warmUp(kafka, sink);
      for (boolean policy : paths) {
        producedAt.clear();
        samples.clear();
        String topic = policy && paths.size() > 1 ? "steady-policy" : "steady";
        Path runDir = Files.createDirectories(dir.resolve(policy ? "policy" : "direct"));
        run(kafka, sink, runDir, topic, policy, phases, producedAt, daemonStart);
        List<Sample> all = new ArrayList<>(samples);
        byPath.put(policy, all);
        System.out.printf("%n%s:%n", policy ? "Through the policy" : "Direct path");
        report(phases, all, producedAt.size());
        plot(all, phases, runDir, paths.size() > 1 ? (policy ? "-policy" : "-direct") : "");
      }
    }
    if (byPath.size() == 2) {
      sideBySide(phases, byPath.get(false), byPath.get(true));
    }
    System.out.println("at the end: " + BenchRuns.load());
  }

  /** The daemon started cold into the phases' events; returns once they are mailed or 60 s on. */
  private static void run(
      EmbeddedKafka kafka,
      SmtpSink sink,
      Path dir,
      String topic,
      boolean policy,
      List<Phase> phases,
      Map<String, Long> producedAt,
      long[] daemonStart)
      throws Exception {
    Path config = ConfigFixtures.write(dir, BenchRuns.config(policy, 1));
    Map<String, String> env =
        new HashMap<>(
            ConfigFixtures.env(
                kafka.bootstrapServers(), topic, topic, sink.port(), dir.resolve("audit.jsonl")));
    try (KafkaProducer<byte[], byte[]> producer = PipelineBenchmark.producer(kafka)) {
      daemonStart[0] = System.nanoTime();
      Process daemon = DaemonJvm.start(dir, config, env, JVM);
      try {
        long t = daemonStart[0];
        for (Phase p : phases) {
          t = pace(producer, topic, producedAt, p, t);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!producedAt.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } finally {
        daemon.destroy();
        daemon.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  private static void plot(List<Sample> all, List<Phase> phases, Path dir, String suffix)
      throws Exception {
    List<LatencyPlot.Second> perSecond = LatencyPlot.perSecond(all);
    Path csv = dir.resolve("steady.csv");
    LatencyPlot.writeCsv(perSecond, csv);
    String plot = System.getProperty("bench.plot");
    Path png =
        plot != null
            ? Path.of(plot.replaceAll("\\.png$", suffix + ".png")).toAbsolutePath()
            : dir.resolve("steady.png");
    LatencyPlot.render(
        perSecond,
        phases,
        "alertbridge started cold into 500 events/s, then 200, 500 and 1,000/s ("
            + Runtime.getRuntime().availableProcessors()
            + " cores, broker and SMTP sink on the same machine)",
        png);
    System.out.printf("each second's figures: %s%nplot: %s%n", csv, png);
  }

  /** Each steady phase's p50 and p99, the direct path beside the policy, from one run. */
  private static void sideBySide(List<Phase> phases, List<Sample> direct, List<Sample> policy) {
    System.out.println();
    System.out.println("Produce → SMTP 250, the same phases, direct path against the policy:");
    System.out.println("| phase | events/s | direct p50 / p99 | policy p50 / p99 |");
    System.out.println("|---|---|---|---|");
    long from = 0;
    for (Phase p : phases) {
      long to = from + TimeUnit.SECONDS.toNanos(p.seconds());
      List<Long> d = latencies(direct, from, to);
      List<Long> q = latencies(policy, from, to);
      if (!d.isEmpty() && !q.isEmpty()) {
        System.out.printf(
            "| %s | %d | %.1f / %.1f ms | %.1f / %.1f ms |%n",
            p.name(),
            p.rate(),
            LatencyPlot.percentileMs(d, 50),
            LatencyPlot.percentileMs(d, 99),
            LatencyPlot.percentileMs(q, 50),
            LatencyPlot.percentileMs(q, 99));
      }
      from = to;
    }
  }

  /** The sorted latencies of the mails that arrived in [from, to) after the daemon's start. */
  private static List<Long> latencies(List<Sample> all, long from, long to) {
    List<Long> lat = new ArrayList<>();
    for (Sample s : all) {
      if (s.arrivedNanos() >= from && s.arrivedNanos() < to) {
        lat.add(s.latencyNanos());
      }
    }
    Collections.sort(lat);
    return lat;
  }

  /** 20,000 records through the broker and 3,000 mails into the sink, before the daemon starts. */
  private static void warmUp(EmbeddedKafka kafka, SmtpSink sink) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = PipelineBenchmark.producer(kafka);
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "group.id",
                    "warm-broker",
                    "auto.offset.reset",
                    "earliest",
                    "key.deserializer",
                    ByteArrayDeserializer.class.getName(),
                    "value.deserializer",
                    ByteArrayDeserializer.class.getName()))) {
      for (int i = 0; i < 20_000; i++) {
        producer.send(new ProducerRecord<>("warm-broker", new byte[400]));
      }
      producer.flush();
      consumer.subscribe(List.of("warm-broker"));
      int read = 0;
      while (read < 20_000) {
        read += consumer.poll(Duration.ofMillis(200)).count();
        consumer.commitSync();
      }
    }
    try (SmtpClient client =
        new SmtpClient(LoopbackSmtp.forPort(sink.port()), java.time.Clock.systemUTC())) {
      for (int i = 0; i < 3_000; i++) {
        client.submit(TestMails.mail("<warm-" + i + "@test>", "warm " + i, "ops@plant.example"));
      }
    }
  }

  /** Evenly spaced events for the phase, from {@code start}; returns when the phase ends. */
  private static long pace(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      Map<String, Long> producedAt,
      Phase p,
      long start) {
    long gap = 1_000_000_000L / p.rate();
    int n = p.rate() * p.seconds();
    String now = Instant.now().toString();
    for (int i = 0; i < n; i++) {
      long wait = start + i * gap - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      String id = p.name().replace(' ', '-').replace('/', '-') + "-" + i;
      String json =
          ("{\"id\":\"%s\",\"time\":\"%s\",\"source\":\"engine-room/plc-3\",\"type\":\"temperature\","
                  + "\"severity\":\"info\",\"summary\":\"reading %s\","
                  + "\"labels\":{\"site\":\"ship-1\",\"room\":\"engine\",\"sensor\":\"%s\"}}")
              .formatted(id, now, id, id);
      producedAt.put(id, System.nanoTime());
      producer.send(
          new ProducerRecord<>(
              topic, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
    }
    return start + n * gap;
  }

  private static void report(List<Phase> phases, List<Sample> all, int missing) {
    long phaseStart = 0;
    System.out.println();
    System.out.println(
        "Cold start into 500 events/s, each second from the daemon's process start:");
    System.out.println("| second | mails | p50 | p99 | max |");
    System.out.println("|---|---|---|---|---|");
    List<LatencyPlot.Second> perSecond = LatencyPlot.perSecond(all);
    for (LatencyPlot.Second s : perSecond) {
      if (s.second() >= 10) {
        break;
      }
      System.out.printf(
          "| %d | %d | %.0f ms | %.0f ms | %.0f ms |%n",
          s.second() + 1, s.mails(), s.p50Ms(), s.p99Ms(), s.maxMs());
    }
    System.out.println();
    System.out.println("| phase | events/s | mails | p50 | p99 | p99.9 | max |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Phase p : phases) {
      long from = phaseStart;
      long to = phaseStart + TimeUnit.SECONDS.toNanos(p.seconds());
      List<Long> lat = latencies(all, from, to);
      if (!lat.isEmpty()) {
        System.out.printf(
            "| %s | %d | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n",
            p.name(),
            p.rate(),
            lat.size(),
            LatencyPlot.percentileMs(lat, 50),
            LatencyPlot.percentileMs(lat, 99),
            LatencyPlot.percentileMs(lat, 99.9),
            lat.get(lat.size() - 1) / 1e6);
      }
      phaseStart = to;
    }
    System.out.printf("events produced but not mailed within 60 s of the end: %d%n", missing);
  }
}

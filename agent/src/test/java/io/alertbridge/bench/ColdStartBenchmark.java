package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A cold start into a waiting backlog, side by side with a plain Kafka consumer in a JVM of its own
 * ({@link FirstRecord}): from process start to the first mail at the SMTP sink, and mails per
 * second in each of the first 10 s. Direct path (one mail per event), one SMTP connection. With
 * {@code -Dbench.jvm="-XX:SharedArchiveFile=..."} the daemon's JVM gets those flags. Prints
 * figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.ColdStartBenchmark -Dexec.args="40000"
 * </pre>
 */
public final class ColdStartBenchmark {
  private ColdStartBenchmark() {}

  /** The project's test class path: exec:java runs us in a class loader of its own. */
  private static String classPath() {
    if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader u) {
      List<String> entries = new ArrayList<>();
      for (java.net.URL url : u.getURLs()) {
        entries.add(Path.of(java.net.URI.create(url.toString())).toString());
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  public static void main(String[] args) throws Exception {
    int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    List<String> jvm =
        System.getProperty("bench.jvm", "").isBlank()
            ? List.of()
            : List.of(System.getProperty("bench.jvm").trim().split("\\s+"));
    Path dir = Files.createTempDirectory("alertbridge-cold");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      List<Long> mails = new CopyOnWriteArrayList<>();
      sink.onReceived(m -> mails.add(System.nanoTime()));
      kafka.createTopics(4, "cold", "cold.dlq");
      try (KafkaProducer<byte[], byte[]> p = PipelineBenchmark.producer(kafka)) {
        String now = Instant.now().toString();
        for (int i = 0; i < backlog; i++) {
          String json =
              ("{\"id\":\"c-%d\",\"time\":\"%s\",\"source\":\"bench\",\"type\":\"reading\","
                      + "\"severity\":\"info\",\"summary\":\"reading %d\"}")
                  .formatted(i, now, i);
          p.send(new ProducerRecord<>("cold", json.getBytes(StandardCharsets.UTF_8)));
        }
        p.flush();
      }

      // The yardstick: a plain consumer's first record, new group, same topic.
      Process first =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  classPath(),
                  FirstRecord.class.getName(),
                  kafka.bootstrapServers(),
                  "cold")
              .redirectErrorStream(true)
              .start();
      String out = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      first.waitFor(60, TimeUnit.SECONDS);
      long consumerMs =
          Long.parseLong(
              out.lines()
                  .filter(l -> l.startsWith("FIRST "))
                  .findFirst()
                  .orElseThrow()
                  .substring(6));

      // -Dbench.policy=true: through the notification policy, one group per event, no wait.
      boolean policy = Boolean.getBoolean("bench.policy");
      String yaml =
          policy
              ? ConfigFixtures.VALID
                  .replace(
                      "    template: plain\n",
                      "    template: plain\n    group-by: [id]\n    group-wait: 0s\n")
                  .replace(
                      "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                      "  max-event-age: 1h\n")
              : ConfigFixtures.VALID;
      Path config = ConfigFixtures.write(dir, yaml);
      Map<String, String> env =
          new HashMap<>(
              ConfigFixtures.env(
                  kafka.bootstrapServers(),
                  "cold",
                  "cold",
                  sink.port(),
                  dir.resolve("audit.jsonl")));
      long start = System.nanoTime();
      Process daemon = DaemonJvm.start(dir, config, env, jvm);
      // The figures span the first 10 s from the first mail, however late it comes: a fixed 12 s
      // from process start left 2 s of mails when the first came after 10 s (the policy on a
      // loaded machine), and "first 5 s against the best 5 s" compared mostly empty seconds.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (mails.isEmpty() && daemon.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(10_500);
      daemon.destroy();
      daemon.waitFor(60, TimeUnit.SECONDS);
      if (mails.isEmpty()) {
        throw new IllegalStateException("no mail: " + Files.readString(dir.resolve("daemon.log")));
      }
      double firstMs = (mails.get(0) - start) / 1e6;
      List<Integer> perSecond = new ArrayList<>();
      for (int s = 0; s < 10; s++) {
        long from = mails.get(0) + s * 1_000_000_000L;
        long to = from + 1_000_000_000L;
        perSecond.add((int) mails.stream().filter(t -> t >= from && t < to).count());
      }
      int first5 = perSecond.subList(0, 5).stream().mapToInt(Integer::intValue).sum();
      int best5 = 0;
      for (int s = 0; s + 5 <= perSecond.size(); s++) {
        best5 =
            Math.max(best5, perSecond.subList(s, s + 5).stream().mapToInt(Integer::intValue).sum());
      }
      System.out.printf(
          "%d cores (%s); %s; daemon JVM flags: %s%n"
              + "plain consumer, first record: %d ms after its JVM started%n"
              + "alertbridge, first mail: %.0f ms after process start (%.1f× the consumer)%n"
              + "mails per second from the first mail: %s%n"
              + "first 5 s: %d mails, %.0f%% of the best 5 s in the first 10 s%n",
          Runtime.getRuntime().availableProcessors(),
          BenchRuns.load(),
          policy ? "through the notification policy (group-by id, group-wait 0s)" : "direct path",
          jvm.isEmpty() ? "(none)" : String.join(" ", jvm),
          consumerMs,
          firstMs,
          firstMs / consumerMs,
          perSecond,
          first5,
          100.0 * first5 / Math.max(1, best5));
    }
  }
}

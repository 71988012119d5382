package io.alertbridge.bench;

import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The goals of issue 16 (the policy's state redesigned), measured black-box on the packaged daemon
 * so the same command runs before and after: only Kafka topics and groups, the audit log, HTTP
 * health and the process's memory are read. One mode per run; prints figures, asserts nothing.
 *
 * <ul>
 *   <li>{@code storm [N]}: N distinct alerts (default 100,000) for one recipient, one group per
 *       alert, storm guard {@code 30/1h} as the example configuration has it;
 *   <li>{@code big-group [N]}: N alerts (default 100,000), distinct sensors in one site, {@code
 *       group-by: [labels.site]}: one group. Both: whether the daemon stayed up, event ids audited,
 *       the largest record on each of the policy's topics, peak RSS, mails;
 *   <li>{@code flat [N]}: events/s through the policy for N alerts (default 20,000) in one group
 *       against the same sensors in 200 groups, and the ratio, read from the policy's Kafka Streams
 *       group's committed offsets;
 *   <li>{@code spread [N] [instances]}: 2 (or 3) instances in one group, three routes mailing one
 *       list, 6 partitions: each instance's share of the policy's input ({@link PolicyShare}).
 * </ul>
 *
 * The daemons run as the systemd unit runs them ({@code -XX:+ExitOnOutOfMemoryError -Xmx128m
 * -XX:+UseSerialGC}; {@code -Dbench.jvm="..."} replaces that), each run capped at {@code
 * -Dbench.minutes} (default 10) of wall time, and ended early when the daemon dies or no new event
 * id reaches the audit log for {@code -Dbench.stall} seconds (default 120).
 *
 * <pre>
 * ./mvnw -q -DskipTests install && ./mvnw -q -pl agent exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.alertbridge.bench.PolicyScaleBenchmark -Dexec.args="storm 100000"
 * </pre>
 */
public final class PolicyScaleBenchmark {
  private static final Duration CAP = Duration.ofMinutes(Integer.getInteger("bench.minutes", 10));
  private static final int STALL_SECONDS = Integer.getInteger("bench.stall", 120);

  /**
   * How one run ended, and what it left; {@code lastAuditSeconds} is when the last new event id was
   * audited (flat: when the policy's group last committed), from the first produce.
   */
  record Outcome(String ended, double seconds, int audited, double lastAuditSeconds) {}

  private PolicyScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "storm";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : mode.equals("flat") ? 20_000 : 100_000;
    Path dir = Files.createTempDirectory("alertbridge-scale-" + mode);
    System.out.printf(
        "alertbridge policy scale benchmark, mode %s: %d cores (%s), Java %s, daemon JVM %s, cap"
            + " %s, run directory %s%n",
        mode,
        Runtime.getRuntime().availableProcessors(),
        BenchRuns.load(),
        System.getProperty("java.version"),
        String.join(" ", BenchRuns.jvm("-XX:+ExitOnOutOfMemoryError -Xmx128m -XX:+UseSerialGC")),
        CAP,
        dir);
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      AtomicInteger mails = new AtomicInteger();
      sink.onReceived(m -> mails.incrementAndGet());
      switch (mode) {
        case "storm" -> bounded(kafka, sink, mails, dir, "storm", n, STORM, i -> sensor(i));
        case "big-group" ->
            bounded(kafka, sink, mails, dir, "big-group", n, BIG_GROUP, i -> site(0) + sensor(i));
        case "flat" -> flat(kafka, sink, mails, dir, n);
        case "spread" ->
            spread(kafka, sink, mails, dir, n, args.length > 2 ? Integer.parseInt(args[2]) : 2);
        default -> throw new IllegalArgumentException("mode must be storm|big-group|flat|spread");
      }
      System.out.println("at the end: " + BenchRuns.load());
    }
  }

  /** The example configuration's default route: no group-by, so one group per alert. */
  private static final String STORM =
      "  - name: default\n    to: [list:ops]\n    template: plain\n    group-wait: 0s\n";

  private static final String BIG_GROUP =
      // group-interval 10s: the group's alerts after its first mail go out in its next one, which
      // with the default 5m would come after the run's stall limit.
      STORM.replace(
          "group-wait: 0s\n",
          "group-by: [labels.site]\n    group-wait: 0s\n    group-interval: 10s\n");

  private static String sensor(int i) {
    return "\"sensor\":\"x-" + i + "\"";
  }

  private static String site(int s) {
    return "\"site\":\"site-" + s + "\",";
  }

  /** storm and big-group: does the daemon stay up, audit everything, keep its records bounded? */
  private static void bounded(
      EmbeddedKafka kafka,
      SmtpSink sink,
      AtomicInteger mails,
      Path dir,
      String topic,
      int n,
      String routes,
      IntFunction<String> labels)
      throws Exception {
    kafka.createTopics(Integer.getInteger("partitions", 4), topic, topic + ".dlq");
    String policy = topic.equals("storm") ? "  max-mails-per-recipient: 30/1h\n" : "";
    PolicyDaemon d =
        PolicyDaemon.start(kafka, sink, dir, "bench-a", topic, PolicyDaemon.yaml(routes, policy));
    Outcome o;
    String health;
    long rssKb;
    try {
      boolean ready = d.awaitReady(Duration.ofSeconds(90));
      o = await(List.of(d), n, produce(kafka, topic, n, labels));
      health =
          d.process.isAlive()
              ? "alive, /healthz " + d.get("/healthz")
              : "exited with " + d.process.exitValue();
      rssKb = d.peakRssKb();
      health += ready ? "" : " (never ready before the storm)";
    } finally {
      d.stop();
    }
    System.out.printf(
        "%n%s: %,d distinct alerts, routes:%n%s%n", topic, n, routes.replace("\n", " ").trim());
    System.out.println(
        "| daemon at the end | event ids audited | mails | peak RSS (VmHWM) | run |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(
        "| %s | %,d of %,d (%.1f%%) | %,d | %d MiB | %s after %.0f s, last new id at %.0f s |%n",
        health,
        o.audited(),
        n,
        100.0 * o.audited() / n,
        mails.get(),
        rssKb / 1024,
        o.ended(),
        o.seconds(),
        o.lastAuditSeconds());
    System.out.println();
    System.out.print(
        StateTopics.table(StateTopics.largest(kafka.bootstrapServers(), topic + ".state")));
    printErrors(d);
  }

  /**
   * flat: the same sensors in one group and in 200 groups, one daemon each. The policy's pace is
   * read from its Kafka Streams group, not from mails: from the first produce until its committed
   * offsets cover the whole alert topic and stop advancing on every input topic (the last advance's
   * time counts), so neither delivery nor a group's interval is measured.
   */
  private static void flat(EmbeddedKafka kafka, SmtpSink sink, AtomicInteger mails, Path dir, int n)
      throws Exception {
    List<String> rows = new ArrayList<>();
    double[] rate = new double[2];
    int[] groups = {1, 200};
    for (int v = 0; v < 2; v++) {
      int g = groups[v];
      String topic = "flat-" + g;
      kafka.createTopics(Integer.getInteger("partitions", 4), topic, topic + ".dlq");
      mails.set(0);
      String name = "bench-" + g;
      PolicyDaemon d =
          PolicyDaemon.start(kafka, sink, dir, name, topic, PolicyDaemon.yaml(BIG_GROUP, ""));
      Outcome o;
      try (PolicyShare group =
          new PolicyShare(kafka.bootstrapServers(), topic + ".state", List.of(name))) {
        d.awaitReady(Duration.ofSeconds(90));
        long start = produce(kafka, topic, n, i -> site(i % g) + sensor(i));
        o = consumed(group, d, topic, n, start);
      } finally {
        d.stop();
      }
      rate[v] = o.ended().equals("consumed") ? n / o.lastAuditSeconds() : 0;
      rows.add(
          "| %d group(s) of %,d | %s after %.1f s | **%,.0f** | %,d | %,d | %d |"
              .formatted(
                  g,
                  n / g,
                  o.ended(),
                  o.lastAuditSeconds(),
                  rate[v],
                  o.audited(),
                  mails.get(),
                  d.policyFailures()));
      printErrors(d);
    }
    System.out.printf(
        "%nflat: %,d distinct alerts, group-by [labels.site], group-wait 0s (group-interval 5m);"
            + " events/s = alerts / seconds from the first produce to the policy group's last"
            + " offset commit%n",
        n);
    System.out.println(
        "| grouping | policy input | events/s | event ids audited | mails | policy failures |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.out.printf(
        "one group against 200 groups: %.2f (goal ≥ 0.8)%n", rate[1] == 0 ? 0 : rate[0] / rate[1]);
  }

  /**
   * Waits until the policy's group committed all {@code n} alerts and its offsets on every input
   * topic stood still for 3 s; {@link Outcome#lastAuditSeconds} is then the last advance's time.
   */
  private static Outcome consumed(
      PolicyShare group, PolicyDaemon d, String topic, int n, long start) throws Exception {
    long deadline = start + CAP.toNanos();
    long lastAll = -1;
    double lastAdvance = 0;
    String ended = "cap of " + CAP.toMinutes() + " min reached";
    while (System.nanoTime() < deadline) {
      PolicyShare.Committed c = group.committed(topic);
      double now = (System.nanoTime() - start) / 1e9;
      if (c.all() != lastAll) {
        lastAll = c.all();
        lastAdvance = now;
      }
      if (c.alertTopic() >= n && now - lastAdvance > 3) {
        ended = "consumed";
        break;
      }
      if (!d.process.isAlive()) {
        ended = "daemon exited, " + c.alertTopic() + " alerts committed";
        break;
      }
      d.peakRssKb();
      Thread.sleep(100);
    }
    d.audit.poll();
    return new Outcome(
        ended, (System.nanoTime() - start) / 1e9, d.audit.distinctIds(), lastAdvance);
  }

  /** spread: k instances in one group; each one's share of the policy's input records. */
  private static void spread(
      EmbeddedKafka kafka, SmtpSink sink, AtomicInteger mails, Path dir, int n, int k)
      throws Exception {
    String topic = "spread";
    kafka.createTopics(6, topic, topic + ".dlq");
    StringBuilder routes = new StringBuilder();
    for (int r = 0; r < 3; r++) {
      routes.append(
          ("  - name: line-%d\n    match: {labels: {line: l%d}}\n    to: [list:ops]\n"
                  + "    template: plain\n    group-by: [labels.site]\n    group-wait: 0s\n"
                  + "    group-interval: 5s\n")
              .formatted(r, r));
    }
    String yaml = PolicyDaemon.yaml(routes.toString(), "");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      names.add("bench-" + (char) ('a' + i));
    }
    List<PolicyDaemon> daemons = new ArrayList<>();
    try (PolicyShare share = new PolicyShare(kafka.bootstrapServers(), topic + ".state", names)) {
      Outcome o;
      try {
        for (String name : names) {
          daemons.add(PolicyDaemon.start(kafka, sink, dir, name, topic, yaml));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        boolean settled = false;
        while (!settled && System.nanoTime() < deadline) {
          Thread.sleep(500);
          settled = share.settled();
        }
        System.out.printf(
            "%d instances %s in the policy's group%n", k, settled ? "settled" : "NOT");
        share.sample();
        Thread samplerStop = share.sampleEvery(Duration.ofMillis(500));
        try {
          o =
              produceAndAwait(
                  kafka,
                  daemons,
                  topic,
                  n,
                  i -> "\"line\":\"l" + i % 3 + "\"," + site(i % 300) + sensor(i));
          Thread.sleep(3000); // the last commits
        } finally {
          samplerStop.interrupt();
          samplerStop.join();
        }
        share.sample();
      } finally {
        for (PolicyDaemon d : daemons) {
          d.stop();
        }
      }
      System.out.printf(
          "%nspread: %d instances, 6 partitions, 3 routes mailing list:ops (group-by labels.site,"
              + " 300 sites), %,d distinct alerts: %,d event ids audited, %,d mails, %s after %.0f"
              + " s%n",
          k, n, o.audited(), mails.get(), o.ended(), o.seconds());
      System.out.println(
          "work = advance of the policy group's committed offsets on each input partition while"
              + " the instance owned it");
      System.out.print(share.table());
    }
    for (PolicyDaemon d : daemons) {
      printErrors(d);
    }
  }

  private static Outcome produceAndAwait(
      EmbeddedKafka kafka,
      List<PolicyDaemon> daemons,
      String topic,
      int n,
      IntFunction<String> labels)
      throws Exception {
    return await(daemons, n, produce(kafka, topic, n, labels));
  }

  /** Produces the alerts; returns when it started ({@code nanoTime}). */
  private static long produce(
      EmbeddedKafka kafka, String topic, int n, IntFunction<String> labels) {
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = PipelineBenchmark.producer(kafka)) {
      BenchRuns.produceAlerts(p, topic, "a", n, labels);
    }
    return start;
  }

  /**
   * Polls the daemons' audit logs until every produced event id is in one, a daemon exits, no new
   * id arrives for the stall time, or the cap; times are from the first produce.
   */
  private static Outcome await(List<PolicyDaemon> daemons, int n, long produceStart)
      throws Exception {
    long deadline = produceStart + CAP.toNanos();
    double lastNew = 0;
    int audited = 0;
    String ended = "cap of " + CAP.toMinutes() + " min reached";
    while (System.nanoTime() < deadline) {
      Set<String> ids = new HashSet<>();
      double sinceGrowth = Double.MAX_VALUE;
      for (PolicyDaemon d : daemons) {
        d.audit.poll();
        d.peakRssKb();
        ids.addAll(d.audit.ids());
        sinceGrowth = Math.min(sinceGrowth, d.audit.secondsSinceGrowth());
      }
      if (ids.size() > audited) {
        audited = ids.size();
        lastNew = (System.nanoTime() - produceStart) / 1e9;
      }
      if (audited >= n) {
        ended = "all audited";
        break;
      }
      if (daemons.stream().anyMatch(d -> !d.process.isAlive())) {
        ended = "daemon exited";
        break;
      }
      if (sinceGrowth > STALL_SECONDS) {
        ended = "no new audited id for " + STALL_SECONDS + " s";
        break;
      }
      Thread.sleep(250);
    }
    double seconds = (System.nanoTime() - produceStart) / 1e9;
    Thread.sleep(2000); // mails of the last notifications
    return new Outcome(ended, seconds, audited, lastNew);
  }

  private static void printErrors(PolicyDaemon d) throws Exception {
    List<String> errors = d.errors(6);
    if (!errors.isEmpty()) {
      System.out.printf("%s's log, first error lines (%s):%n", d.name, d.dir.resolve("daemon.log"));
      errors.forEach(l -> System.out.println("    " + l));
    }
  }
}

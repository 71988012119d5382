package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged daemon with the policy on, as {@link PolicyScaleBenchmark} runs it: its own run
 * directory, audit log, HTTP port and Kafka {@code client.id} (so {@link PolicyShare} can tell
 * instances apart), sharing the alert topic, group and state topics with its siblings.
 */
final class PolicyDaemon {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final Process process;
  final Path dir;
  final AuditTail audit;
  private final int httpPort;
  private long peakRssKb;

  private PolicyDaemon(String name, Process process, Path dir, int httpPort) {
    this.name = name;
    this.process = process;
    this.dir = dir;
    this.httpPort = httpPort;
    this.audit = new AuditTail(dir.resolve("audit.jsonl"));
  }

  /**
   * {@link ConfigFixtures#VALID} with the policy on ({@code max-event-age: 1h} plus {@code policy}
   * lines), {@code routes} instead of its two, and a list {@code ops} of one address.
   */
  static String yaml(String routes, String policy) {
    String v = ConfigFixtures.VALID;
    return v.substring(0, v.indexOf("routes:\n"))
            .replace("lists:\n", "lists:\n  ops: [ops@plant.example]\n")
        + "routes:\n"
        + routes
        + v.substring(v.indexOf("templates:\n"))
            .replace(
                "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                "  max-event-age: 1h\n" + policy);
  }

  /** Starts instance {@code name} reading {@code topic} in group {@code topic}. */
  static PolicyDaemon start(
      EmbeddedKafka kafka, SmtpSink sink, Path runDir, String name, String topic, String yaml)
      throws IOException {
    Path dir = Files.createDirectories(runDir.resolve(name));
    int port = EmbeddedKafka.freePort();
    String own =
        yaml.replace(
                "  poll-timeout: 50ms\n",
                "  poll-timeout: 50ms\n  properties: {client.id: \"" + name + "\"}\n")
            + "http:\n  listen: 127.0.0.1:"
            + port
            + "\n";
    Path config = ConfigFixtures.write(dir, own);
    Map<String, String> env =
        new HashMap<>(
            ConfigFixtures.env(
                kafka.bootstrapServers(), topic, topic, sink.port(), dir.resolve("audit.jsonl")));
    List<String> jvm = BenchRuns.jvm("-XX:+ExitOnOutOfMemoryError -Xmx128m -XX:+UseSerialGC");
    return new PolicyDaemon(name, DaemonJvm.start(dir, config, env, jvm), dir, port);
  }

  /** The HTTP status of {@code path} ({@code /healthz}, {@code /readyz}), or -1 without answer. */
  int get(String path) {
    try {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
              .timeout(Duration.ofSeconds(5))
              .build();
      return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Waits up to {@code timeout} for {@code /readyz} to answer 200; returns whether it did. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (get("/readyz") == 200) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** Samples the kernel's high-water mark while the process lives; the last one stays. */
  long peakRssKb() throws IOException {
    long now = DaemonJvm.peakRssKb(process.pid());
    peakRssKb = Math.max(peakRssKb, now);
    return peakRssKb;
  }

  /**
   * How often the daemon's log says its policy stage failed: each thread replaced, and the failure
   * that stopped the daemon (its exit line repeats that one and is not counted).
   */
  long policyFailures() throws IOException {
    Path log = dir.resolve("daemon.log");
    try (var lines = Files.lines(log)) {
      return lines
          .filter(
              l ->
                  l.contains("policy stage failed (")
                      || l.contains("stopping: policy stage failed"))
          .count();
    }
  }

  /** Up to {@code n} lines of the daemon's log that name an error, each cut to 240 characters. */
  List<String> errors(int n) throws IOException {
    Path log = dir.resolve("daemon.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    try (var lines = Files.lines(log)) {
      return lines
          .filter(l -> l.contains("ERROR") || l.contains("Exception:") || l.contains("OutOfMemory"))
          .distinct()
          .limit(n)
          .map(l -> l.length() > 240 ? l.substring(0, 240) + "…" : l)
          .toList();
    }
  }

  /** SIGTERM, as systemd stops it; SIGKILL if it has not ended within a minute. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon's HTTP endpoint under what starved it before (review H4): many clients that
 * send half a request and wait, and status-page searches over a large rotated audit log. {@code
 * /healthz} must answer within a second throughout, or the kubelet restarts a working pod. And an
 * {@code http.listen} that cannot be bound stops the start with exit 2.
 */
@ExtendWith(KafkaFixture.class)
class HttpStarvationIT {
  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private DaemonProcess start(KafkaFixture.Broker kafka, SmtpSink sink, int port, Path audit)
      throws IOException {
    String yaml =
        ConfigFixtures.VALID.replace(
            "audit:\n", "http:\n  listen: 127.0.0.1:" + port + "\naudit:\n");
    Path config = ConfigFixtures.write(dir, yaml);
    String topic = RunningDaemon.newTopic(kafka, 1);
    Map<String, String> env =
        ConfigFixtures.env(
            kafka.bootstrapServers(), topic, "http-" + UUID.randomUUID(), sink.port(), audit);
    return DaemonProcess.run(dir.resolve("daemon.log"), env, config);
  }

  /** One request on a fresh connection, answered within a second; the status line. */
  private static String get(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1000);
      s.getOutputStream()
          .write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.lines().findFirst().orElse("");
    }
  }

  private static void awaitHealthy(DaemonProcess d, int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast(() -> !d.isAlive())
        .ignoreExceptions()
        .until(() -> get(port, "/healthz").equals("HTTP/1.1 200 OK"));
  }

  /** {@code /healthz} {@code times} times in a row, each on a new connection within a second. */
  private static void healthAnswersPromptly(int port, int times) throws IOException {
    for (int i = 0; i < times; i++) {
      long started = System.nanoTime();
      assertThat(get(port, "/healthz")).isEqualTo("HTTP/1.1 200 OK");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void healthAnswersWithinASecondWhileHundredsOfClientsHoldHalfARequest(KafkaFixture.Broker kafka)
      throws Exception {
    int port = freePort();
    List<Socket> idle = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start();
        DaemonProcess d = start(kafka, sink, port, dir.resolve("audit.jsonl"))) {
      awaitHealthy(d, port);
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket("127.0.0.1", port);
        idle.add(s);
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }

      healthAnswersPromptly(port, 20);
      assertThat(get(port, "/readyz")).startsWith("HTTP/1.1 ");
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void healthAnswersWithinASecondWhileSearchesReadALargeRotatedAuditLog(KafkaFixture.Broker kafka)
      throws Exception {
    Path audit = dir.resolve("audit/audit.jsonl");
    long bytes = rotatedLog(audit, 4, 12L * 1024 * 1024);
    assertThat(bytes).isGreaterThan(40L * 1024 * 1024);
    int port = freePort();
    ExecutorService searchers = Executors.newFixedThreadPool(4);
    try (SmtpSink sink = SmtpSink.start();
        DaemonProcess d = start(kafka, sink, port, audit)) {
      awaitHealthy(d, port);
      List<Future<String>> searches = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        // In every line, so every line is parsed, and no line's id: the worst search there is.
        searches.add(searchers.submit(() -> search(port, "plant.example")));
      }

      healthAnswersPromptly(port, 30);
      for (Future<String> s : searches) {
        assertThat(s.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200 OK");
      }
    } finally {
      searchers.shutdownNow();
    }
  }

  /** A search from the status page, however long it takes; the whole response. */
  private static String search(int port, String q) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      s.getOutputStream()
          .write(("GET /?q=" + q + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The log and {@code rotations} rotations (the older ones gzipped), {@code each} bytes of lines
   * apiece; the total bytes of lines.
   */
  private static long rotatedLog(Path log, int rotations, long each) throws IOException {
    Files.createDirectories(log.getParent());
    long total = 0;
    for (int r = rotations; r >= 0; r--) {
      Path f =
          r == 0 ? log : log.resolveSibling(log.getFileName() + "." + r + (r > 1 ? ".gz" : ""));
      OutputStream raw = Files.newOutputStream(f);
      try (Writer w =
          new java.io.OutputStreamWriter(
              r > 1 ? new GZIPOutputStream(raw) : raw, StandardCharsets.UTF_8)) {
        for (long n = 0, i = 0; n < each; i++) {
          String line = auditLine(r + "-" + i) + "\n";
          w.write(line);
          n += line.length();
        }
      }
      total += each;
      Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofDays(r))));
    }
    return total;
  }

  private static String auditLine(String id) {
    return ("{\"time\":\"2026-11-29T14:05:30Z\",\"status\":\"sent\",\"event_id\":null,"
            + "\"event_ids\":[\"ev-%s\"],\"topic\":\"alerts\",\"partition\":0,\"offset\":1,"
            + "\"route\":\"engine\",\"group\":\"engine:abc\","
            + "\"recipients\":[\"ops@plant.example\"],\"refused\":[],"
            + "\"message_id\":\"<%s@plant.example>\",\"smtp_server\":\"relay\",\"reply_code\":250,"
            + "\"enhanced_status\":\"2.0.0\",\"reply_text\":\"Ok: queued as Q%s\","
            + "\"queue_id\":\"Q%s\",\"attempts\":1,\"reason\":null}")
        .formatted(id, id, id, id);
  }

  @Test
  void anHttpListenAlreadyInUseStopsTheStartWithExitTwoNamingTheKey(KafkaFixture.Broker kafka)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        SmtpSink sink = SmtpSink.start();
        DaemonProcess d = start(kafka, sink, taken.getLocalPort(), dir.resolve("audit.jsonl"))) {
      assertThat(d.waitFor(120)).as(d.log()).isEqualTo(2);
      assertThat(d.log())
          .contains(
              "http.listen: must be an address alertbridge can listen on: Address already in use"
                  + " (found: \"127.0.0.1:"
                  + taken.getLocalPort()
                  + "\")");
    }
  }
}

package io.alertbridge.it;

import io.alertbridge.embedded.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real KRaft broker in a JVM of its own, on fixed loopback ports with its data in a folder, so a
 * test can stop it (an outage) and start it again with the same topics and committed offsets.
 */
final class BrokerProcess implements KafkaFixture.Broker {
  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private Process process;

  BrokerProcess(Path dir) throws IOException {
    this.dir = dir;
    this.brokerPort = EmbeddedKafka.freePort();
    this.controllerPort = EmbeddedKafka.freePort();
    Files.createDirectories(dir);
  }

  void start() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedKafka.class.getName(),
                dir.toString(),
                Integer.toString(brokerPort),
                Integer.toString(controllerPort))
            .redirectErrorStream(true);
    process = pb.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        drain(out);
        return;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the broker process did not start; last line: " + line);
  }

  /** Keeps reading the broker's output so it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discarded: the broker logs at WARN and the test asserts on the daemon
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "broker-output");
    t.setDaemon(true);
    t.start();
  }

  /** Stops the broker at once (SIGKILL): an outage, not a maintenance. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  @Override
  public String kind() {
    return "KRaft broker process";
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}

package io.alertbridge.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon ({@code target/alertbridge.jar run}) in a JVM of its own, so a test can stop
 * it the way an operator or the kernel does: SIGTERM, or SIGKILL ({@code kill -9}); and reload it
 * with SIGHUP.
 */
final class DaemonProcess implements AutoCloseable {
  static final Path JAR = Path.of("target/alertbridge.jar");

  private final Process process;
  private final Path log;

  private DaemonProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code alertbridge <args>} with {@code env} added; output goes to {@code log}. */
  static DaemonProcess start(Path log, Map<String, String> env, String... args) {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is built by the package phase, before the ITs");
    }
    String[] command = new String[args.length + 3];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    command[1] = "-jar";
    command[2] = JAR.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    try {
      return new DaemonProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DaemonProcess run(Path log, Map<String, String> env, Path config) {
    return start(log, env, "run", "--config", config.toString());
  }

  /** SIGKILL: no shutdown hook, no commit, no flush. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then the exit code (or -1 if it did not exit within the time). */
  int sigterm(long seconds) throws InterruptedException {
    process.destroy();
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGHUP, as {@code kill -HUP} or {@code systemctl reload} sends it: a config reload. */
  void sighup() throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -HUP " + process.pid() + " exited " + kill.exitValue());
    }
  }

  /** Waits for the process to end by itself; its exit code, or -1 on timeout. */
  int waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

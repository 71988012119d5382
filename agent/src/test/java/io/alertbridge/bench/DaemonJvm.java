package io.alertbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged daemon in a JVM of its own, for benchmarks that measure its process. */
final class DaemonJvm {
  private DaemonJvm() {}

  /** Starts {@code alertbridge run}, its output in {@code runDir/daemon.log}. */
  static Process start(Path runDir, Path config, Map<String, String> env, List<String> jvm)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.command().addAll(jvm);
    // exec:java runs in Maven's JVM, whose working directory is where mvnw was started.
    Path jar =
        Files.exists(Path.of("agent/target/alertbridge.jar"))
            ? Path.of("agent/target/alertbridge.jar").toAbsolutePath()
            : Path.of("target/alertbridge.jar").toAbsolutePath();
    pb.command().addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(runDir.resolve("daemon.log").toFile());
    return pb.start();
  }

  /** The process's resident set now, in KiB (0 once it is gone). */
  static long rssKb(long pid) throws IOException {
    return statusKb(pid, "VmRSS:");
  }

  /**
   * The process's largest resident set since it started (the kernel's high-water mark), in KiB (0
   * once it is gone): unlike sampling {@link #rssKb}, it misses no short peak between samples.
   */
  static long peakRssKb(long pid) throws IOException {
    return statusKb(pid, "VmHWM:");
  }

  private static long statusKb(long pid, String field) throws IOException {
    Path status = Path.of("/proc/" + pid + "/status");
    if (!Files.exists(status)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (java.nio.file.NoSuchFileException ignored) {
      // the process ended between the check and the read: gone, as above
    }
    return 0;
  }
}

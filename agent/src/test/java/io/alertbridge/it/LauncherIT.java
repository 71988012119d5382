package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/bin/alertbridge} from an installed layout ({@code bin/}, the jar, {@code lib/}):
 * the first run writes the class-data archive when SIGTERM stops it, the next run maps it, and a
 * replaced jar makes the launcher write a new one instead of feeding the JVM a stale archive.
 */
@ExtendWith(KafkaFixture.class)
class LauncherIT {
  private static final Path LAUNCHER = Path.of("../deploy/bin/alertbridge");

  @TempDir Path dir;

  @Test
  void firstRunWritesTheArchiveTheNextMapsItAndANewJarRewritesIt(KafkaFixture.Broker kafka)
      throws Exception {
    Path home = Files.createDirectories(dir.resolve("opt/alertbridge"));
    Files.createDirectories(home.resolve("bin"));
    Files.copy(LAUNCHER, home.resolve("bin/alertbridge"));
    install(home);
    Path state = Files.createDirectories(dir.resolve("var"));
    Path archive = state.resolve("alertbridge.jsa");
    String topic = RunningDaemon.newTopic(kafka, 1);
    String group = "launcher-" + UUID.randomUUID();
    try (SmtpSink sink = SmtpSink.start()) {
      Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
      Map<String, String> env =
          new HashMap<>(
              ConfigFixtures.env(
                  kafka.bootstrapServers(), topic, group, sink.port(), dir.resolve("audit.jsonl")));
      env.put("ALERTBRIDGE_CDS_ARCHIVE", archive.toString());
      env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());

      runAndStop(home, env, config, kafka, topic, sink, 1, "first.log");
      assertThat(archive).as("written at the first graceful stop").exists();
      assertThat(Files.size(archive)).isGreaterThan(1 << 20);
      // Stamped once complete, libraries included; no per-process file left behind.
      assertThat(Files.readString(archive.resolveSibling("alertbridge.jsa.stamp")))
          .contains("/lib/", "alertbridge.jar");
      try (var left = Files.list(state)) {
        assertThat(left.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrder("alertbridge.jsa", "alertbridge.jsa.stamp");
      }

      // -Xshare:on makes the JVM refuse to start unless it can map the archive.
      env.put("JAVA_OPTS", "-Xshare:on");
      String second = runAndStop(home, env, config, kafka, topic, sink, 2, "second.log");
      assertThat(second).doesNotContain("shared archive", "Unable to use");

      // A new jar (an upgrade): the old archive is dropped and a new one written at the stop.
      env.remove("JAVA_OPTS");
      long before = Files.getLastModifiedTime(archive).toMillis();
      Thread.sleep(1100);
      install(home);
      runAndStop(home, env, config, kafka, topic, sink, 3, "third.log");
      assertThat(Files.getLastModifiedTime(archive).toMillis()).isGreaterThan(before);
      env.put("JAVA_OPTS", "-Xshare:on");
      runAndStop(home, env, config, kafka, topic, sink, 4, "fourth.log");
    }
  }

  @Test
  void otherCommandsRunWithoutAnArchive() throws Exception {
    Path home = Files.createDirectories(dir.resolve("opt/alertbridge"));
    Files.createDirectories(home.resolve("bin"));
    Files.copy(LAUNCHER, home.resolve("bin/alertbridge"));
    install(home);
    Path archive = dir.resolve("alertbridge.jsa");
    ProcessBuilder pb =
        new ProcessBuilder(home.resolve("bin/alertbridge").toString(), "--version")
            .redirectErrorStream(true);
    pb.environment().put("ALERTBRIDGE_CDS_ARCHIVE", archive.toString());
    pb.environment()
        .put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).startsWith("alertbridge");
    assertThat(archive).doesNotExist();
  }

  /** The launcher's {@code run} with a configuration that does not exist: Java's own exit 2. */
  private Process launch(Map<String, String> env) throws Exception {
    Path home = Files.createDirectories(dir.resolve("opt/alertbridge"));
    Files.createDirectories(home.resolve("bin"));
    Files.copy(LAUNCHER, home.resolve("bin/alertbridge"));
    install(home);
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/alertbridge").toString(),
                "run",
                "--config",
                dir.resolve("missing.yaml").toString())
            .redirectErrorStream(true);
    pb.environment().put("JAVA", JAVA);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String output(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void aMissingArchiveFolderIsReportedAndTheDaemonStartsWithoutIt() throws Exception {
    Path archive = dir.resolve("no-such-folder/alertbridge.jsa");
    Process p = launch(Map.of("ALERTBRIDGE_CDS_ARCHIVE", archive.toString()));

    String out = output(p);

    assertThat(out)
        .contains(
            "alertbridge launcher: the archive's folder "
                + archive.getParent()
                + " does not exist (ALERTBRIDGE_CDS_ARCHIVE); starting without the class-data"
                + " archive")
        // Java ran: the configuration error is the daemon's own, with its exit code.
        .contains("alertbridge: configuration error");
    assertThat(p.exitValue()).isEqualTo(2);
  }

  @Test
  void anUnwritableArchiveFolderIsReportedAndTheDaemonStartsWithoutIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")), "root writes into a read-only folder");
    Path folder = Files.createDirectories(dir.resolve("read-only"));
    Files.setPosixFilePermissions(
        folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
    Process p = launch(Map.of("ALERTBRIDGE_CDS_ARCHIVE", folder.resolve("a.jsa").toString()));

    String out = output(p);

    assertThat(out)
        .contains("the archive's folder " + folder + " is not writable")
        .contains("alertbridge: configuration error");
    assertThat(p.exitValue()).isEqualTo(2);
  }

  @Test
  void aRunThatFailsKeepsItsExitCodeAndLeavesNoArchive() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("state"));
    Process p = launch(Map.of("ALERTBRIDGE_CDS_ARCHIVE", folder.resolve("a.jsa").toString()));

    String out = output(p);

    // The JVM wrote its archive as a child of the launcher, which still exits with the daemon's
    // own 2 (systemd's RestartPreventExitStatus), and an archive of a failed start is not kept.
    assertThat(out).contains("alertbridge: configuration error");
    assertThat(p.exitValue()).isEqualTo(2);
    try (var left = Files.list(folder)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aJavaThatIsNotThereIsNamedOnStderr() throws Exception {
    Process p =
        launch(
            Map.of(
                "ALERTBRIDGE_CDS_ARCHIVE",
                dir.resolve("a.jsa").toString(),
                "JAVA",
                "/no/such/java"));

    String out = output(p);

    // Not the silent exit 1 it was: the launcher says what is missing, and the shell's exec fails.
    assertThat(out)
        .contains(
            "alertbridge launcher: no java binary at '/no/such/java' (JAVA, or java on the PATH)")
        .contains("/no/such/java: not found");
    assertThat(p.exitValue()).isEqualTo(127);
  }

  /** The jar and lib/ as deploy/ installs them, freshly copied (a new change time). */
  private static void install(Path home) throws Exception {
    Files.deleteIfExists(home.resolve("alertbridge.jar"));
    Files.copy(DaemonProcess.JAR, home.resolve("alertbridge.jar"));
    Path lib = Files.createDirectories(home.resolve("lib"));
    try (var jars = Files.list(DaemonProcess.JAR.resolveSibling("lib"))) {
      for (Path jar : jars.toList()) {
        Files.deleteIfExists(lib.resolve(jar.getFileName()));
        Files.copy(jar, lib.resolve(jar.getFileName()));
      }
    }
  }

  /** Runs the launcher until the round's event is mailed, then SIGTERM; its log. */
  private static String runAndStop(
      Path home,
      Map<String, String> env,
      Path config,
      KafkaFixture.Broker kafka,
      String topic,
      SmtpSink sink,
      int round,
      String logName)
      throws Exception {
    Path log = config.resolveSibling(logName);
    ProcessBuilder pb =
        new ProcessBuilder(
                home.resolve("bin/alertbridge").toString(), "run", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process daemon = pb.start();
    try {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      records.add(
          new ProducerRecord<>(
              topic,
              Events.info("launcher-" + round, "reading " + round, "")
                  .getBytes(StandardCharsets.UTF_8)));
      RunningDaemon.produce(kafka, records);
      await()
          .atMost(Duration.ofSeconds(60))
          .failFast(() -> !daemon.isAlive())
          .until(() -> sink.received().size() == round);
      // SIGTERM: to the JVM when the launcher exec'd it, to the launcher (which passes it on) in
      // a run that writes the archive.
      daemon.destroy();
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.exitValue()).as(Files.readString(log)).isZero();
    } finally {
      daemon.destroyForcibly();
    }
    return Files.readString(log);
  }
}

package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.daemon.ConfigReloader;
import io.alertbridge.daemon.Daemon;
import io.alertbridge.daemon.StartupCheck;
import io.alertbridge.kafka.KafkaClientFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code alertbridge run}: the daemon, until SIGTERM or SIGINT; SIGHUP reloads its config. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Consume alert events and mail them until stopped (SIGTERM stops gracefully).",
      "Exits 2 when the configuration is invalid, a topic is missing or forbidden, or the broker",
      "refuses the policy stage an ACL it needs (at startup or later),",
      "1 after a fatal error (e.g. the dead-letter topic refuses writes for good).",
      "SIGHUP reloads the configuration file (docs/operations.md)."
    })
final class RunCommand implements Callable<Integer> {
  /**
   * How long {@code run} waits for a broker to check the topics. After that it starts anyway: the
   * consumer waits for the broker like after any outage, so a plant booting Kafka late still works.
   */
  static final Duration BROKER_PATIENCE = Duration.ofSeconds(60);

  /** Beyond the stop's own budget, before the hook gives up and halts with 1. */
  static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RunCommand.class);

  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    AtomicReference<Daemon> running = new AtomicReference<>();
    AtomicBoolean endedByItself = new AtomicBoolean();
    CountDownLatch closed = new CountDownLatch(1);
    AlertbridgeConfig loaded = config.load();
    LogFormat.apply(loaded.logging());
    // The whole stop, step by step, and a margin: a shorter wait halted the JVM mid-close with 1.
    Duration wait = Daemon.shutdownBudget(loaded.delivery()).plus(SHUTDOWN_MARGIN);
    // Registered before the broker check, which may wait a minute: a SIGTERM then is a clean stop.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> onSignal(running.get(), closed, endedByItself, wait),
                "alertbridge-shutdown"));
    AtomicReference<ConfigReloader> reloader = new AtomicReference<>();
    HangupSignal.install(() -> reload(reloader.get()));
    Daemon daemon;
    try {
      if (StartupCheck.topics(loaded.kafka(), KafkaClientFactory.REAL, BROKER_PATIENCE)
          && loaded.policy().enabled()) {
        // A missing ACL is exit 2 here, not a stage that retries or restarts for ever.
        StartupCheck.policy(
                loaded.kafka(), loaded.policy(), KafkaClientFactory.REAL, BROKER_PATIENCE)
            .ifPresent(c -> c.differing().forEach(d -> log.warn("policy topic {}", d)));
      }
      daemon =
          new Daemon(
              loaded,
              Clock.systemUTC(),
              UnaryOperator.identity(),
              KafkaClientFactory.REAL,
              config.file.toAbsolutePath());
    } catch (Exception | Error e) {
      endedByItself.set(true);
      throw e;
    }
    running.set(daemon);
    reloader.set(daemon.reloader(config::load));
    try {
      daemon.run();
    } catch (RuntimeException | Error e) {
      endedByItself.set(true);
      throw e;
    } finally {
      daemon.close();
      closed.countDown();
    }
    if (daemon.failedOnConfiguration()) {
      endedByItself.set(true);
      System.err.println("alertbridge: configuration error: " + daemon.failure().get());
      return Main.USAGE;
    }
    if (daemon.failure().isPresent()) {
      endedByItself.set(true);
      System.err.println("alertbridge: stopped after a fatal error: " + daemon.failure().get());
      return Main.FAILED;
    }
    return Main.OK;
  }

  private static void reload(ConfigReloader reloader) {
    if (reloader == null) {
      log.warn("SIGHUP while starting: no reload; send it again once alertbridge runs");
      return;
    }
    reloader.reload();
  }

  /**
   * SIGTERM or SIGINT: stop the daemon and wait until main has closed it. A JVM stopped by a signal
   * exits with 143 however main ends, which systemd counts as a failure, so after a clean stop the
   * hook ends the JVM with 0 itself (1 if the stop timed out). When run() failed on its own, main
   * is already exiting with its code and the hook leaves it alone.
   */
  private static void onSignal(
      Daemon daemon, CountDownLatch closed, AtomicBoolean endedByItself, Duration wait) {
    if (endedByItself.get()) {
      return;
    }
    if (daemon == null) {
      // Stopped while starting: nothing was consumed, so there is nothing to finish or commit.
      Runtime.getRuntime().halt(ExitStatus.record(Main.OK));
    }
    daemon.stop();
    boolean clean = false;
    try {
      clean = closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(ExitStatus.record(clean ? Main.OK : Main.FAILED));
  }
}

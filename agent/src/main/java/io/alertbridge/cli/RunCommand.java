package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.daemon.Daemon;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code alertbridge run}: the daemon, until SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Consume alert events and mail them until stopped (SIGTERM stops gracefully).")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    AlertbridgeConfig loaded = config.load();
    Daemon daemon = new Daemon(loaded, Clock.systemUTC(), UnaryOperator.identity());
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM halts when its shutdown hooks return, so the hook waits for close() to finish.
    Thread hook =
        new Thread(
            () -> {
              daemon.stop();
              try {
                closed.await(
                    loaded.delivery().shutdownTimeout().toSeconds() + 30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "alertbridge-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      daemon.run();
    } finally {
      daemon.close();
      closed.countDown();
    }
    return Main.OK;
  }
}

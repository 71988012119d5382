package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigProblem;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates the configuration again and applies what can change while the daemon runs:
 * routes, lists, templates, route policies (timings, mute windows), inhibition rules, SMTP servers
 * and the delivery settings the planner reads. The consumer group and the Streams application keep
 * running, so a reload causes no rebalance. An invalid file changes nothing. Triggered by SIGHUP
 * ({@code run}) and {@code POST /-/reload}; reloads run one at a time.
 */
public final class ConfigReloader {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  /**
   * How a reload ended.
   *
   * @param ok whether the file was valid and applied
   * @param problems why it was not, each as {@code check-config} prints it; empty when {@code ok}
   * @param needsRestart keys that changed but keep their running value until a restart, each with
   *     its key path; a reload with some is still {@code ok}
   */
  public record Result(boolean ok, List<String> problems, List<String> needsRestart) {
    public Result {
      problems = List.copyOf(problems);
      needsRestart = List.copyOf(needsRestart);
    }
  }

  private final ConfigSource source;
  private final LiveConfig live;

  ConfigReloader(ConfigSource source, LiveConfig live) {
    this.source = source;
    this.live = live;
  }

  /** Reloads now, on the calling thread; waits while another reload runs. */
  public Result reload() {
    live.lock.lock();
    try {
      Result r = attempt();
      live.metrics.configLoaded(r.ok(), live.clock.instant());
      return r;
    } finally {
      live.lock.unlock();
    }
  }

  private Result attempt() {
    log.info("reloading the configuration");
    AlertbridgeConfig next;
    List<String> restart;
    try {
      next = source.load();
      restart = RestartKeys.between(live.started, next).stream().map(Object::toString).toList();
      SmtpChanges servers = live.apply(next);
      restart.forEach(log::warn);
      log.info(
          "configuration reloaded: {} route(s), SMTP servers {} ({}){}",
          next.routes().size(),
          next.smtp().servers().stream().map(s -> s.name()).toList(),
          servers.none() ? "unchanged" : servers,
          restart.isEmpty() ? "" : "; " + restart.size() + " key(s) need a restart");
      return new Result(true, List.of(), restart);
    } catch (ConfigException e) {
      List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
      log.error(
          "configuration reload failed, keeping the running configuration: {} problem(s)",
          problems.size());
      problems.forEach(p -> log.error("  {}", p));
      return new Result(false, problems, List.of());
    } catch (RuntimeException e) {
      // A bug, not the file: still keep running on the last good configuration.
      log.error("configuration reload failed, keeping the running configuration", e);
      return new Result(false, List.of("(reload): " + e), List.of());
    }
  }
}

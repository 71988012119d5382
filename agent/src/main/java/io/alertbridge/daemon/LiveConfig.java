package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.LiveRules;
import io.alertbridge.policy.PolicyRules;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.pool.PoolMember;
import io.alertbridge.smtp.pool.ServerStatus;
import io.alertbridge.smtp.pool.SmtpPool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parts of a running daemon that a reload replaces (the delivery planner, the policy's rules,
 * the SMTP servers) and the configuration they were built from. Everything else was built once by
 * {@link DaemonWiring} and keeps the configuration the daemon started with ({@link RestartKeys}).
 */
final class LiveConfig {
  /** One reload at a time, whichever trigger (SIGHUP, HTTP) started it. */
  final ReentrantLock lock = new ReentrantLock();

  final AlertbridgeConfig started;
  final Clock clock;
  final Metrics metrics;
  private final LivePlanner planner;
  private final Replanner replanner;
  private final Optional<LiveRules> rules;
  private final SmtpPool smtp;
  private final ExecutorService workers;
  private final Path configFile;
  private final List<java.util.function.Consumer<AlertbridgeConfig>> hooks =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Check> checks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile AlertbridgeConfig current;
  private long version;

  /**
   * @param workers the delivery workers, grown when new servers bring more connections
   */
  LiveConfig(
      AlertbridgeConfig started,
      Clock clock,
      Metrics metrics,
      LivePlanner planner,
      DeliveryInput input,
      SmtpPool smtp,
      ExecutorService workers,
      Path configFile) {
    this.started = started;
    this.current = started;
    this.clock = clock;
    this.metrics = metrics;
    this.planner = planner;
    this.replanner = input.replanner();
    this.rules = input.rules();
    this.smtp = smtp;
    this.workers = workers;
    this.configFile = configFile;
  }

  /** Run after each successful reload, with the new configuration (the HTTP tokens). */
  void afterReload(java.util.function.Consumer<AlertbridgeConfig> hook) {
    hooks.add(hook);
  }

  /** What a new configuration must pass before anything is swapped (a tokens file that parses). */
  interface Check {
    void check(AlertbridgeConfig next) throws ConfigException;
  }

  void checkFirst(Check check) {
    checks.add(check);
  }

  AlertbridgeConfig current() {
    return current;
  }

  /** The composer of one configuration: its templates, From, envelope sender and size limit. */
  static MessageComposer composer(AlertbridgeConfig c, Clock clock, Path configFile)
      throws ConfigException {
    return new MessageComposer(
        Templates.compile(c.templates()),
        c.smtp().from(),
        c.smtp().envelopeSender(),
        c.delivery().maxMessageSize().bytes(),
        clock,
        configFile == null ? null : configFile.toAbsolutePath().toString(),
        c.policy().enabled());
  }

  /**
   * Builds everything {@code next} needs first, so a failure (a template that does not compile, a
   * TLS file that cannot be read) changes nothing; then swaps: servers first, so that mail of a new
   * route finds its server, then the policy's rules, then the planner. Call with {@link #lock}.
   *
   * @return how the SMTP pool changed
   */
  SmtpChanges apply(AlertbridgeConfig next) throws ConfigException {
    for (Check c : checks) {
      c.check(next);
    }
    Router router = Router.of(next);
    MailPlanner nextPlanner = replanner.plan(next, router, composer(next, clock, configFile));
    SmtpChanges servers = SmtpChanges.between(current.smtp(), next.smtp());
    List<PoolMember> added = members(next, servers.added());
    if (!servers.none()) {
      smtp.replace(servers.removed(), added);
    }
    grow(next.smtp().totalConnections() + 1);
    version++;
    long v = version;
    rules.ifPresent(r -> r.set(PolicyRules.of(next, router, v)));
    planner.set(nextPlanner);
    current = next;
    hooks.forEach(h -> h.accept(next));
    metrics.preset(
        started.kafka().topics(),
        router.routes().stream().map(Route::name).toList(),
        smtp.status().stream().map(ServerStatus::name).toList());
    return servers;
  }

  private List<PoolMember> members(AlertbridgeConfig next, List<SmtpServerSettings> servers)
      throws ConfigException {
    List<PoolMember> members = new ArrayList<>();
    for (SmtpServerSettings s : servers) {
      try {
        members.add(SmtpWiring.member(next.smtp(), s, clock));
      } catch (RuntimeException e) {
        members.forEach(m -> m.client().close());
        throw new ConfigException(
            "smtp.servers[" + s.name() + "]",
            null,
            "its client cannot be built: " + e.getMessage());
      }
    }
    return members;
  }

  /**
   * One delivery worker per connection the pool may open, and one more (as at start). Never shrunk:
   * a removed server's transactions may still be running on them.
   */
  private void grow(int threads) {
    if (workers instanceof ThreadPoolExecutor pool && threads > pool.getMaximumPoolSize()) {
      pool.setMaximumPoolSize(threads);
      pool.setCorePoolSize(threads);
    }
  }
}

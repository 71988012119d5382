package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.DeliverySettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.smtp.pool.ServerStatus;
import io.alertbridge.smtp.pool.SmtpPool;
import io.alertbridge.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages {@link DaemonWiring} built for a validated configuration until {@link #stop()} or
 * a fatal error, and tells health and readiness meanwhile. The daemon owns every thread and client
 * built for it and closes them in order: stop intake, finish or abandon what is in flight, then
 * close SMTP connections, the dead-letter producer and the audit log.
 */
public final class Daemon implements AutoCloseable, FatalErrorHandler, WebServer.Health {
  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /**
   * The longest a stop takes ({@link ShutdownBudget}): 75 s with the defaults, so a 90 s grace
   * period (Kubernetes, systemd's TimeoutStopSec) also covers the JVM's own exit.
   */
  public static Duration shutdownBudget(DeliverySettings delivery) {
    return ShutdownBudget.of(delivery);
  }

  private final AlertbridgeConfig config;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final SmtpPool smtp;
  private final KafkaDeadLetterSink deadLetters;
  private final AuditLog audit;
  private final AlertConsumer consumer;
  private final Metrics metrics;
  private final StatusSource status;
  private final LiveConfig live;
  private final Optional<Operators> operators;
  private final Optional<Answers> answers;
  private final io.alertbridge.web.Tokens tokens;
  private volatile ConfigReloader httpReloader;
  private final WebServer web;
  private volatile boolean running;
  private final PolicySwitch policySwitch;
  private final Optional<PolicyRun> policyRun;
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private volatile boolean fatalIsConfiguration;
  private boolean closed;
  private volatile boolean stopping;

  public Daemon(AlertbridgeConfig config, Clock clock, UnaryOperator<AuditLog> auditDecorator)
      throws ConfigException {
    this(config, clock, auditDecorator, KafkaClientFactory.REAL);
  }

  /**
   * @param auditDecorator wraps the audit log (the demo prints each line); identity otherwise
   * @param kafka makes the Kafka clients; Kafka's mocks in unit tests
   */
  public Daemon(
      AlertbridgeConfig config,
      Clock clock,
      UnaryOperator<AuditLog> auditDecorator,
      KafkaClientFactory kafka)
      throws ConfigException {
    this(config, clock, auditDecorator, kafka, null);
  }

  /**
   * @param configFile the file {@code config} was read from, named in the silence command each mail
   *     ends with; null: the deploy kit's path
   */
  public Daemon(
      AlertbridgeConfig config,
      Clock clock,
      UnaryOperator<AuditLog> auditDecorator,
      KafkaClientFactory kafka,
      java.nio.file.Path configFile)
      throws ConfigException {
    this.config = config;
    // The stages report fatal failures to this daemon, which stops them: built before they run.
    DaemonParts parts = DaemonWiring.build(config, clock, auditDecorator, kafka, this, configFile);
    this.web = parts.web().orElse(null);
    this.metrics = parts.metrics();
    this.audit = parts.audit();
    this.workers = parts.workers();
    this.scheduler = parts.scheduler();
    this.smtp = parts.smtp();
    this.deadLetters = parts.deadLetters();
    this.policySwitch = parts.policySwitch();
    this.policyRun = parts.policyRun();
    this.consumer = parts.consumer();
    this.status = parts.status();
    this.live = parts.live();
    this.operators = parts.operators();
    this.tokens = parts.tokens().orElse(null);
    this.answers = parts.answers();
  }

  /**
   * Reloads read from {@code source} (the file and environment the daemon started with) and apply
   * to this daemon; reloads through any reloader of it run one at a time.
   */
  public ConfigReloader reloader(ConfigSource source) {
    ConfigReloader r = new ConfigReloader(source, live);
    httpReloader = r;
    return r;
  }

  /** Where the HTTP endpoint listens, once {@link #run()} started it. */
  public Optional<java.net.InetSocketAddress> httpAddress() {
    WebServer w = web;
    return w == null ? Optional.empty() : Optional.of(w.address());
  }

  @Override
  public boolean alive() {
    return running && fatal.get() == null;
  }

  @Override
  public List<String> notReady() {
    List<String> why = new java.util.ArrayList<>();
    if (!alive() || stopping) {
      why.add(stopping ? "stopping" : "not running");
    }
    if (!consumer.status().joined()) {
      why.add("the delivery consumer has not joined group " + config.kafka().groupId() + " yet");
    }
    policyRun.flatMap(PolicyRun::notReady).ifPresent(why::add);
    List<ServerStatus> servers = smtp.status();
    if (servers.stream().noneMatch(ServerStatus::available)) {
      why.add(
          "no SMTP server available: "
              + String.join(
                  ", ", servers.stream().map(s -> s.name() + " circuit " + s.circuit()).toList()));
    }
    return why;
  }

  /** Consumes and delivers on the calling thread until {@link #stop()} or a fatal error. */
  public void run() {
    log.info(
        "alertbridge started: {} route(s), SMTP {}, audit {}",
        config.routes().size(),
        config.smtp().servers(),
        config.audit().file());
    running = true;
    try {
      operators.ifPresent(Operators::start);
      startWeb();
      if (!policySwitch.prepare(consumer, () -> !stopping && fatal.get() == null, this)) {
        return;
      }
      if (policyRun.isPresent()
          && !policyRun.get().start(() -> fatal.get() == null && !stopping, this)) {
        return;
      }
      // After the policy made its topics: replies and bounces are written to STATE-responses.
      answers.ifPresent(Answers::start);
      consumer.run();
    } finally {
      running = false;
    }
  }

  private void startWeb() {
    if (web == null) {
      return;
    }
    try {
      io.alertbridge.silence.SilenceStore silences =
          operators
              .<io.alertbridge.silence.SilenceStore>map(Operators::silences)
              .orElseGet(NoSilences::new);
      web.start(
          metrics.registry(),
          this,
          status,
          new io.alertbridge.web.Writes(
              silences, tokens, this::reloadFromHttp, new WriteLogLines()),
          answers.map(Answers::links).orElse(null));
      log.info("HTTP endpoint: {}", config.http().summary());
    } catch (IOException e) {
      // Bound in the constructor; only a selector that cannot open fails here.
      throw new UncheckedIOException(e);
    }
  }

  /** {@code POST /-/reload}: as SIGHUP, once {@code run} made a reloader for this daemon. */
  private io.alertbridge.web.Reloader.Result reloadFromHttp() {
    ConfigReloader r = httpReloader;
    if (r == null) {
      return new io.alertbridge.web.Reloader.Result(
          List.of("this daemon was started without its configuration file: nothing to reload"));
    }
    ConfigReloader.Result result = r.reload();
    return new io.alertbridge.web.Reloader.Result(result.problems());
  }

  /**
   * A failure no retry can mend: log it, remember it for the exit code, and stop. What is in flight
   * is finished or abandoned uncommitted, so nothing is lost.
   */
  @Override
  public void fatal(String what, Throwable cause) {
    String message = what + ": " + cause;
    if (fatal.compareAndSet(null, message)) {
      fatalIsConfiguration = AuthorizationFailure.in(cause).isPresent();
      log.error("stopping: {}", message, cause);
      stopping = true;
      consumer.stop();
    }
  }

  /**
   * Whether the fatal failure was a refusal by the broker (a missing ACL): a configuration error,
   * which {@code run} reports with exit 2 so that no supervisor restarts it in a loop.
   */
  public boolean failedOnConfiguration() {
    return fatal.get() != null && fatalIsConfiguration;
  }

  /** Why the daemon stopped by itself, if it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(fatal.get());
  }

  /** Stops polling and waits for the consumer to commit and close; safe from any thread. */
  public void stop() {
    stopping = true;
    consumer.stop();
    try {
      Duration wait = config.delivery().shutdownTimeout().plus(ShutdownBudget.CONSUMER_CLOSE);
      if (!consumer.awaitStopped(wait)) {
        log.warn("consumer did not stop within {}", wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Releases everything, in order. Call after {@link #run()} returned: the consumer has then
   * settled its lanes, so what still runs on a worker is abandoned uncommitted.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    consumer.closeIfNeverRun();
    // The policy stage commits its own work; what it emitted waits on the notification topic.
    policyRun.ifPresent(PolicyRun::close);
    if (web != null) {
      web.close();
    }
    operators.ifPresent(Operators::close);
    answers.ifPresent(Answers::close);
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(
          ShutdownBudget.WORKER_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    smtp.close();
    deadLetters.close();
    audit.close();
    log.info("alertbridge stopped");
  }
}

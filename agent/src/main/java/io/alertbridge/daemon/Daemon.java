package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.JsonLinesAuditLog;
import io.alertbridge.audit.RecentAudit;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.AuditSettings;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.DeliverySettings;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.DirectPlanner;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.delivery.RecordProcessor;
import io.alertbridge.delivery.SubmissionRetrier;
import io.alertbridge.delivery.Timer;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.metrics.MeteredAuditLog;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.metrics.PolicyMetrics;
import io.alertbridge.policy.NotificationPlanner;
import io.alertbridge.policy.PolicyStage;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.policy.PolicyTopology;
import io.alertbridge.policy.RoutePolicy;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.pool.ServerStatus;
import io.alertbridge.smtp.pool.SmtpPool;
import io.alertbridge.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the stages for a validated configuration and runs the consumer until {@link #stop()} or a
 * fatal error. The daemon owns every thread and client it creates and closes them in order: stop
 * intake, finish or abandon what is in flight, then close SMTP connections, the dead-letter
 * producer and the audit log.
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

  /** The status page shows this many of the newest audit records. */
  static final int RECENT_AUDIT = 50;

  private final AlertbridgeConfig config;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final SmtpPool smtp;
  private final KafkaDeadLetterSink deadLetters;
  private final AuditLog audit;
  private final AlertConsumer consumer;
  private final Metrics metrics;
  private final RecentAudit recentAudit;
  private final StatusSource status;
  private final WebServer web;
  private volatile boolean running;
  private final Optional<PolicyStage> policy;
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
    this.config = config;
    this.web = HttpListeners.bind(config.http());
    Templates templates = Templates.compile(config.templates());
    Router router = Router.of(config);
    MessageComposer composer =
        new MessageComposer(
            templates,
            config.smtp().from(),
            config.smtp().envelopeSender(),
            config.delivery().maxMessageSize().bytes(),
            clock);
    this.metrics = new Metrics(version());
    this.recentAudit = new RecentAudit(openAudit(config.audit(), clock), RECENT_AUDIT);
    this.audit = auditDecorator.apply(new MeteredAuditLog(recentAudit, metrics));
    // One worker per connection the pool may open, and one to decode and render meanwhile.
    this.workers =
        Executors.newFixedThreadPool(config.smtp().totalConnections() + 1, named("delivery"));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(named("timer"));
    this.smtp = SmtpWiring.pool(config.smtp(), clock);
    smtp.onAttempt(metrics);
    metrics.watchServers(smtp::status);
    this.deadLetters =
        new KafkaDeadLetterSink(
            kafka.producer(KafkaClients.producer(config.kafka())),
            config.kafka().deadLetterTopic(),
            clock);
    Timer timer = new Timer(scheduler);
    EventDecoder decoder = new EventDecoder(config.kafka().maxEventSize().bytes());
    PolicySettings p = config.policy();
    this.policySwitch = new PolicySwitch(config, kafka);
    MailPlanner planner;
    KafkaSettings delivered;
    if (p.enabled()) {
      PolicyTopology.Wiring wiring =
          new PolicyTopology.Wiring(
              decoder,
              router,
              RoutePolicy.of(config, router),
              clock,
              config.kafka().topics(),
              config.kafka().deadLetterTopic(),
              p.stateTopicFor(config.kafka().groupId()),
              p.maxEventAge(),
              p.dedupWindow(),
              p.maxMailsPerRecipient(),
              composer.messageIdDomain(),
              p.maxClockSkew(),
              new PolicyMetrics(metrics.registry()),
              // Test-only: the crash-guard test kills the stage on this event
              // (docs/architecture.md).
              System.getenv("ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID"));
      this.policy =
          Optional.of(
              new PolicyStage(wiring, config.kafka(), config.policy().commitInterval(), this));
      policy.get().onDeadLetterWrite(metrics::deadLetterWrite);
      this.policyRun =
          policy.map(
              s ->
                  new PolicyRun(s, p, config.kafka(), kafka, wiring.eventsTopic(), clock, metrics));
      planner = new NotificationPlanner(composer, p.maxMailsPerRecipient(), p.maxEventAge());
      // The delivery stage reads the policy's notifications instead of the alert topics.
      delivered = withTopic(config.kafka(), wiring.notificationsTopic());
    } else {
      this.policy = Optional.empty();
      this.policyRun = Optional.empty();
      planner =
          policySwitch.directPlanner(
              new DirectPlanner(decoder, router, composer, config.delivery().maxEventAge(), clock),
              new NotificationPlanner(composer, p.maxMailsPerRecipient(), p.maxEventAge()));
      delivered = config.kafka();
    }
    RecordProcessor processor =
        new RecordProcessor(
            new RecordProcessor.Stages(
                planner,
                new SubmissionRetrier(smtp, workers, timer, config.smtp().retry()),
                audit,
                metrics),
            deadLetters,
            timer,
            new RecordProcessor.FailurePolicy(
                config.kafka().deadLetterRetryBackoff(), config.delivery().maxUnexpectedFailures()),
            this,
            clock);
    deadLetters.onWrite(metrics::deadLetterWrite);
    this.consumer =
        new AlertConsumer(
            delivered,
            config.delivery(),
            processor,
            workers,
            this,
            kafka.consumer(KafkaClients.consumer(delivered)));
    metrics.watchConsumer(consumer::status);
    metrics.preset(
        config.kafka().topics(),
        router.routes().stream().map(io.alertbridge.route.Route::name).toList(),
        smtp.status().stream().map(ServerStatus::name).toList());
    this.status =
        new StatusSource(
            version(), clock, smtp, consumer, recentAudit, Path.of(config.audit().file()));
  }

  private static String version() {
    String v = Daemon.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
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

  private static KafkaSettings withTopic(KafkaSettings k, String topic) {
    return new KafkaSettings(
        k.bootstrapServers(),
        k.groupId(),
        List.of(topic),
        k.deadLetterTopic(),
        k.maxEventSize(),
        k.pollTimeout(),
        k.deadLetterRetryBackoff(),
        k.properties());
  }

  private static AuditLog openAudit(AuditSettings a, Clock clock) throws ConfigException {
    Path file = Path.of(a.file());
    try {
      return new JsonLinesAuditLog(file, a.fsync(), a.fsyncInterval(), clock, true);
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException(
          "audit.file",
          '"' + file.toString() + '"',
          "must be a file alertbridge can create and append to: " + e);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "alertbridge-" + prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
      startWeb();
      if (!policySwitch.prepare(consumer, () -> !stopping && fatal.get() == null, this)) {
        return;
      }
      if (policyRun.isPresent()
          && !policyRun.get().start(() -> fatal.get() == null && !stopping, this)) {
        return;
      }
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
      web.start(metrics.registry(), this, status);
      log.info("HTTP endpoint: {}", config.http().summary());
    } catch (java.io.IOException e) {
      // Bound in the constructor; only a selector that cannot open fails here.
      throw new java.io.UncheckedIOException(e);
    }
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

package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.JsonLinesAuditLog;
import io.alertbridge.audit.RecentAudit;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.AuditSettings;
import io.alertbridge.config.ConfigException;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.delivery.RecordProcessor;
import io.alertbridge.delivery.SubmissionRetrier;
import io.alertbridge.delivery.Timer;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.metrics.MeteredAuditLog;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.pool.ServerStatus;
import io.alertbridge.smtp.pool.SmtpPool;
import io.alertbridge.web.Tokens;
import io.alertbridge.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Builds the daemon's parts for a validated configuration, once; {@link Daemon} only runs and
 * closes them. What differs between the two paths is wired apart ({@link PolicyPathWiring}, {@link
 * DirectPathWiring}); everything else is the same on both.
 */
final class DaemonWiring {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DaemonWiring.class);

  /** The status page shows this many of the newest audit records. */
  static final int RECENT_AUDIT = 50;

  private DaemonWiring() {}

  /**
   * @param auditDecorator wraps the audit log (the demo prints each line); identity otherwise
   * @param kafka makes the Kafka clients; Kafka's mocks in unit tests
   * @param fatal told of a failure no retry can mend, by any stage
   * @throws ConfigException when a listener cannot be bound or the audit log cannot be opened; the
   *     HTTP listeners are bound first, so a taken port is reported before anything else starts
   */
  static DaemonParts build(
      AlertbridgeConfig config,
      Clock clock,
      UnaryOperator<AuditLog> auditDecorator,
      KafkaClientFactory kafka,
      FatalErrorHandler fatal,
      Path configFile)
      throws ConfigException {
    Optional<WebServer> web = Optional.ofNullable(HttpListeners.bind(config.http()));
    Router router = Router.of(config);
    MessageComposer composer = LiveConfig.composer(config, clock, configFile);
    Metrics metrics = new Metrics(version());
    RecentAudit recentAudit = new RecentAudit(openAudit(config.audit(), clock), RECENT_AUDIT);
    AuditLog audit = auditDecorator.apply(new MeteredAuditLog(recentAudit, metrics));
    // Silences and the watched alerts live in the policy's topics: no policy, no operators'
    // controls.
    Optional<Operators> operators =
        config.policy().enabled()
            ? Optional.of(
                new Operators(
                    config, config.policy().stateTopicFor(config.kafka().groupId()), audit, clock))
            : Optional.empty();
    // One worker per connection the pool may open, and one to decode and render meanwhile.
    ExecutorService workers =
        Executors.newFixedThreadPool(config.smtp().totalConnections() + 1, named("delivery"));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("timer"));
    SmtpPool smtp = SmtpWiring.pool(config.smtp(), clock);
    smtp.onAttempt(metrics);
    metrics.watchServers(smtp::status);
    KafkaDeadLetterSink deadLetters =
        new KafkaDeadLetterSink(
            kafka.producer(KafkaClients.producer(config.kafka())),
            config.kafka().deadLetterTopic(),
            clock);
    Timer timer = new Timer(scheduler);
    EventDecoder decoder = new EventDecoder(config.kafka().maxEventSize().bytes());
    PolicySwitch policySwitch = new PolicySwitch(config, kafka);
    ResponseKeys keys = config.policy().enabled() ? responseKeys(config) : ResponseKeys.NONE;
    InboundReader.Factory readers =
        readers(config, keys, audit, clock, composer.messageIdDomain(), metrics);
    if (config.inbound() != null && !config.policy().enabled()) {
      // Nothing could act on a reply, and no mail carries a bounce token without the policy.
      log.warn("inbound: needs policy.enabled; the mailbox is not read");
    }
    Optional<Answers> answers =
        config.policy().enabled()
            ? Answers.of(
                keys,
                config.kafka(),
                config.policy().stateTopicFor(config.kafka().groupId()) + "-responses",
                clock,
                readers)
            : Optional.empty();
    DeliveryInput input =
        config.policy().enabled()
            ? PolicyPathWiring.build(
                config,
                clock,
                decoder,
                router,
                composer,
                metrics,
                kafka,
                fatal,
                operators.orElseThrow().policy(keys.acks()),
                keys.addresses())
            : DirectPathWiring.build(config, clock, decoder, router, composer, policySwitch);
    // A reload swaps the planner, the policy's rules and the SMTP servers (ConfigReloader).
    LivePlanner planner = new LivePlanner(input.planner());
    LiveConfig live =
        new LiveConfig(config, clock, metrics, planner, input, smtp, workers, configFile);
    Tokens tokens = HttpTokens.load(config.http());
    if (tokens != null) {
      // A tokens file that no longer parses fails the reload: a revoked token must not stay.
      live.checkFirst(next -> HttpTokens.load(next.http()));
      live.afterReload(next -> HttpTokens.reload(tokens, next.http()));
    }
    metrics.configLoaded(true, clock.instant());
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
            fatal,
            clock);
    deadLetters.onWrite(metrics::deadLetterWrite);
    AlertConsumer consumer =
        new AlertConsumer(
            input.delivered(),
            config.delivery(),
            processor,
            workers,
            fatal,
            kafka.consumer(KafkaClients.consumer(input.delivered())));
    metrics.watchConsumer(consumer::status);
    metrics.preset(
        config.kafka().topics(),
        router.routes().stream().map(Route::name).toList(),
        smtp.status().stream().map(ServerStatus::name).toList());
    StatusSource status =
        new StatusSource(
            version(),
            clock,
            smtp,
            consumer,
            recentAudit,
            Path.of(config.audit().file()),
            input.policyRun());
    return new DaemonParts(
        web,
        metrics,
        audit,
        workers,
        scheduler,
        smtp,
        deadLetters,
        policySwitch,
        input.policyRun(),
        consumer,
        status,
        live,
        operators,
        Optional.ofNullable(tokens),
        answers);
  }

  private static String version() {
    String v = Daemon.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
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

  /** The keys of acknowledgements and bounces (issue 18); the files passed validation. */
  private static ResponseKeys responseKeys(AlertbridgeConfig config) throws ConfigException {
    io.alertbridge.config.InboundSettings in = config.inbound();
    String key = in != null ? "inbound.key-file" : "http.link-key-file";
    try {
      return ResponseKeys.load(
          in == null ? null : Path.of(in.keyFile()),
          in == null ? null : in.replyAddress(),
          in == null ? null : in.bounceAddress(),
          config.http().links() ? Path.of(config.http().linkKeyFile()) : null,
          config.http().publicUrl());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new ConfigException(
          java.util.List.of(
              new io.alertbridge.config.ConfigProblem(
                  key, null, "must be a readable key file: " + e.getMessage())));
    }
  }

  /** The inbound mailbox's reader (issue 18); null without {@code inbound}. */
  static InboundReader.Factory readers(
      AlertbridgeConfig config,
      ResponseKeys keys,
      AuditLog audit,
      Clock clock,
      String messageIdDomain,
      Metrics m) {
    io.alertbridge.config.InboundSettings in = config.inbound();
    if (in == null) {
      return null;
    }
    return writer -> {
      InboundReader reader =
          new InboundReader(
              new io.alertbridge.inbound.InboundParser(
                  new io.alertbridge.inbound.InboundLimits(
                      in.maxMessageSize().bytes(), 20, 200, 64 * 1024),
                  in.replyAddress(),
                  in.bounceAddress(),
                  in.trustedAuthservId()),
              keys.acks().tokens(),
              writer,
              audit,
              clock,
              messageIdDomain);
      try {
        reader.watch(
            io.alertbridge.imap.MailboxWatcher.create(in, reader, m.inboundListener(), clock));
      } catch (java.io.IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException("cannot set up the inbound mailbox: " + e.getMessage(), e);
      }
      return reader;
    };
  }
}

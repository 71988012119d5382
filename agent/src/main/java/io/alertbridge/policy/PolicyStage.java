package io.alertbridge.policy;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.kafka.AuthorizationFailure;
import io.alertbridge.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the policy topology on Kafka Streams, exactly-once: input offsets, state changelogs and
 * notifications are committed in one transaction. Its state is in Kafka only; the local state
 * directory is scratch space, deleted on close, rebuilt from the changelogs on start.
 */
public final class PolicyStage implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyStage.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long close() waits for Kafka Streams to commit and leave; part of the daemon's shutdown
   * budget (Daemon.shutdownBudget). Unfinished work is not lost: it resumes from the last commit.
   */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * A dying stream thread is replaced this many times within {@link #REPLACEMENT_WINDOW}, then the
   * daemon stops. A window, not a lifetime count: two poison records a week apart (each
   * dead-lettered by the crash guard after its second death) must not add up to a stop.
   */
  static final int MAX_THREAD_REPLACEMENTS = 3;

  static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);

  private final PolicyTopology.Wiring wiring;
  private final KafkaSettings kafka;
  private final Duration commitInterval;
  private final FatalErrorHandler fatal;
  private final Path stateDir;
  private KafkaStreams streams;
  private final ArrayDeque<Instant> replacements = new ArrayDeque<>();
  private PolicyTopics.Layout layout;
  private volatile Listener listener =
      new Listener() {
        @Override
        public void stateChanged(KafkaStreams.State now) {}

        @Override
        public void threadReplaced(Throwable cause) {}
      };

  /** Writes crash counts and the exception handlers' dead letters; made on the first start. */
  private Producer<byte[], byte[]> failureProducer;

  private CrashGuard guard;
  private StreamFailures failures;
  private LegacyState legacy;
  private Consumer<Boolean> deadLetterWrites = written -> {};

  public PolicyStage(
      PolicyTopology.Wiring wiring,
      KafkaSettings kafka,
      Duration commitInterval,
      FatalErrorHandler fatal) {
    this.commitInterval = commitInterval;
    this.wiring = wiring;
    this.kafka = kafka;
    this.fatal = fatal;
    this.stateDir = ScratchDirs.create(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** Tells {@code listener} whether each dead-letter write of the exception handlers succeeded. */
  public synchronized void onDeadLetterWrite(Consumer<Boolean> listener) {
    this.deadLetterWrites = listener;
    if (failures != null) {
      failures.onWrite(listener);
    }
  }

  public String notificationsTopic() {
    return wiring.notificationsTopic();
  }

  /**
   * Creates the events and notifications topics if missing, with as many partitions as the widest
   * alert topic and replicated as {@code settings} say (Kafka Streams creates its own changelog
   * topics, with the same replication: see {@link #start()}).
   *
   * @return how the policy's topics are (or were to be) made
   * @throws IllegalStateException when the broker cannot be asked or refuses; its cause says why
   */
  public PolicyTopics.Layout createTopics(PolicySettings settings) throws InterruptedException {
    try (Admin admin = Admin.create(KafkaClients.common(kafka))) {
      PolicyTopics.Layout made =
          PolicyTopics.layout(admin, wiring.alertTopics(), settings, ADMIN_TIMEOUT);
      PolicyTopics.create(
          admin,
          made,
          List.of(
              wiring.eventsTopic(),
              wiring.mailsTopic(),
              wiring.notificationsTopic(),
              wiring.responsesTopic()),
          List.of(wiring.crashesTopic(), wiring.watchedTopic(), wiring.silencesTopic()),
          ADMIN_TIMEOUT);
      PolicyTopics.matchPartitions(
          admin, wiring.eventsTopic(), wiring.responsesTopic(), ADMIN_TIMEOUT);
      synchronized (this) {
        layout = made;
      }
      return made;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create the policy stage's topics: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot create the policy stage's topics: " + e, e);
    }
  }

  /** Told what the stage does, for metrics and readiness; called on Kafka Streams' threads. */
  public interface Listener {
    /** Kafka Streams' client state changed, e.g. to {@code REBALANCING}. */
    void stateChanged(KafkaStreams.State now);

    /** A stream thread died and was replaced by a fresh one. */
    void threadReplaced(Throwable cause);
  }

  /** Set before {@link #start()}. */
  public synchronized void listen(Listener l) {
    listener = l;
  }

  /**
   * Starts Kafka Streams. Called again after a failure (the broker was away): the client of the
   * failed attempt is closed first, so retries leak no threads or sockets.
   */
  public synchronized void start() {
    closeStreams();
    if (failureProducer == null) {
      Map<String, Object> config = KafkaClients.producer(kafka);
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "alertbridge-policy-failures");
      failureProducer = new KafkaProducer<>(config);
      guard =
          new CrashGuard(
              new KafkaCrashStore(
                  KafkaClients.common(kafka), failureProducer, wiring.crashesTopic()));
      failures = new StreamFailures(wiring, failureProducer);
      failures.onWrite(deadLetterWrites);
      legacy =
          new LegacyState(
              KafkaClients.common(kafka),
              failureProducer,
              wiring.stateTopic(),
              wiring.notificationsTopic(),
              wiring.eventsTopic());
    }
    resetLegacyState();
    guard.load();
    Properties p =
        StreamsProperties.of(
            kafka, wiring.stateTopic(), stateDir, commitInterval, Optional.ofNullable(layout));
    p.put(StreamFailures.CONFIG_KEY, failures);
    streams = new KafkaStreams(PolicyTopology.build(wiring, guard), p);
    streams.setUncaughtExceptionHandler(
        e -> {
          if (AuthorizationFailure.in(e).isPresent()) {
            // A missing ACL is configuration: no fresh thread can mend it, and no record is to
            // blame (the daemon exits 2, so no supervisor restarts it in a loop).
            guard.done();
            fatal.fatal("policy stage refused by the broker", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          // Runs on the thread that died: the guard knows which record it was on. Only a death
          // our code caused counts against the record; Kafka's own failures (a broker away) do not.
          String on;
          if (recordsFault(e)) {
            on = guard.died().map(CrashGuard.Position::toString).orElse("no record");
          } else {
            guard.done();
            on = "no record's fault";
          }
          int recent = replaced(wiring.clock().instant());
          if (recent <= MAX_THREAD_REPLACEMENTS) {
            log.error(
                "policy stage failed ({} of {} within {}) on {}; its thread is replaced and resumes"
                    + " from the last commit",
                recent,
                MAX_THREAD_REPLACEMENTS,
                REPLACEMENT_WINDOW,
                on,
                e);
            listener.threadReplaced(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          fatal.fatal("policy stage failed " + recent + " times within " + REPLACEMENT_WINDOW, e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          log.info("policy stage {} -> {}", before, now);
          listener.stateChanged(now);
          if (now == KafkaStreams.State.ERROR) {
            fatal.fatal("policy stage stopped", new IllegalStateException("Kafka Streams: ERROR"));
          }
        });
    streams.start();
  }

  /**
   * Drops the state of a release before issue 16, auditing what it held, before Kafka Streams
   * starts: once its stores' changelogs are gone, this only lists the topics.
   */
  private void resetLegacyState() {
    try {
      legacy.reset(wiring.clock().instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted resetting the policy's legacy state", e);
    }
  }

  /** Counts a replacement at {@code now}; returns how many fell within the window. */
  private synchronized int replaced(Instant now) {
    replacements.addLast(now);
    while (replacements.peekFirst().isBefore(now.minus(REPLACEMENT_WINDOW))) {
      replacements.removeFirst();
    }
    return replacements.size();
  }

  /**
   * Whether a death was caused by code on a record: some exception or error in the chain is not one
   * of Kafka's own (which wrap ours, or report a broker or network failure), nor the JVM running
   * out of memory, which tends to strike the same record again on replay without being its fault.
   */
  static boolean recordsFault(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError || t instanceof InternalError) {
        return false;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (!(t instanceof org.apache.kafka.common.KafkaException)) {
        return true;
      }
    }
    return false;
  }

  /** This instance's open incidents, the newest {@code max} listed (issue 18). */
  public OpenIncidents.Found incidents(int max) {
    KafkaStreams s;
    synchronized (this) {
      s = streams;
    }
    return s == null
        ? new OpenIncidents.Found(java.util.List.of(), 0, 0)
        : OpenIncidents.of(s, wiring.routes(), wiring.clock().millis(), max);
  }

  public synchronized boolean running() {
    return streams != null && streams.state().isRunningOrRebalancing();
  }

  @Override
  public synchronized void close() {
    closeStreams();
    if (failureProducer != null) {
      failureProducer.close(Duration.ofSeconds(10));
      failureProducer = null;
    }
    ScratchDirs.release(stateDir);
  }

  private void closeStreams() {
    if (streams != null) {
      streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(CLOSE_TIMEOUT));
      streams = null;
    }
  }
}

package io.alertbridge.policy;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.kafka.KafkaClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
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

  /** A bug in a processor is retried on a fresh thread this many times, then the daemon stops. */
  static final int MAX_THREAD_REPLACEMENTS = 3;

  private final PolicyTopology.Wiring wiring;
  private final KafkaSettings kafka;
  private final Duration commitInterval;
  private final FatalErrorHandler fatal;
  private final Path stateDir;
  private KafkaStreams streams;
  private int replacements;
  private PolicyTopics.Layout layout;
  private volatile Listener listener =
      new Listener() {
        @Override
        public void stateChanged(KafkaStreams.State now) {}

        @Override
        public void threadReplaced(Throwable cause) {}
      };

  public PolicyStage(
      PolicyTopology.Wiring wiring,
      KafkaSettings kafka,
      Duration commitInterval,
      FatalErrorHandler fatal) {
    this.commitInterval = commitInterval;
    this.wiring = wiring;
    this.kafka = kafka;
    this.fatal = fatal;
    try {
      this.stateDir = Files.createTempDirectory("alertbridge-policy-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the policy stage's scratch directory", e);
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
          admin, made, List.of(wiring.eventsTopic(), wiring.notificationsTopic()), ADMIN_TIMEOUT);
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

  public synchronized void start() {
    Properties p = new Properties();
    p.putAll(KafkaClients.common(kafka));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, wiring.stateTopic());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    // Streams keeps a dynamic member in its group after close (it expects the same instance back
    // soon), so a restarted daemon, a new member, waited for the old one's session to time out
    // before the policy stage ran again: 43 s (RestartBenchmark). Leaving on close ends that wait;
    // static members (group.instance.id) are removed by close's leaveGroup below instead.
    p.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
    if (layout != null) {
      // Changelogs and repartition topics hold the policy's state: replicated as its own topics.
      p.putAll(layout.streamsProperties());
    }
    streams = new KafkaStreams(PolicyTopology.build(wiring), p);
    streams.setUncaughtExceptionHandler(
        e -> {
          replacements++;
          if (replacements <= MAX_THREAD_REPLACEMENTS) {
            log.error(
                "policy stage failed ({} of {}); its thread is replaced and resumes from the last"
                    + " commit",
                replacements,
                MAX_THREAD_REPLACEMENTS,
                e);
            listener.threadReplaced(e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          fatal.fatal("policy stage failed " + replacements + " times", e);
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

  public synchronized boolean running() {
    return streams != null && streams.state().isRunningOrRebalancing();
  }

  @Override
  public synchronized void close() {
    if (streams != null) {
      streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(CLOSE_TIMEOUT));
      streams = null;
    }
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(PolicyStage::deleteQuietly);
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", stateDir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", p, e.toString());
    }
  }
}

package io.alertbridge.policy;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
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

  /** A bug in a processor is retried on a fresh thread this many times, then the daemon stops. */
  static final int MAX_THREAD_REPLACEMENTS = 3;

  private final PolicyTopology.Wiring wiring;
  private final KafkaSettings kafka;
  private final Duration commitInterval;
  private final FatalErrorHandler fatal;
  private final Path stateDir;
  private KafkaStreams streams;
  private int replacements;

  /** Writes crash counts and the exception handlers' dead letters; made on the first start. */
  private Producer<byte[], byte[]> failureProducer;

  private CrashGuard guard;
  private StreamFailures failures;
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
   * alert topic (Kafka Streams creates its own changelog topics).
   */
  public void createTopics() throws InterruptedException {
    try (Admin admin = Admin.create(KafkaClients.common(kafka))) {
      Map<String, TopicDescription> alerts =
          admin
              .describeTopics(wiring.alertTopics())
              .allTopicNames()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      int partitions =
          alerts.values().stream().mapToInt(d -> d.partitions().size()).max().orElse(1);
      List<NewTopic> topics = new ArrayList<>();
      for (String t :
          List.of(wiring.eventsTopic(), wiring.notificationsTopic(), wiring.crashesTopic())) {
        topics.add(
            new NewTopic(t, java.util.Optional.of(partitions), java.util.Optional.empty())
                .configs(topicConfig(t)));
      }
      for (var e : admin.createTopics(topics).values().entrySet()) {
        try {
          e.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          log.info("created topic {} with {} partitions", e.getKey(), partitions);
        } catch (ExecutionException x) {
          if (!(x.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + e.getKey() + ": " + x.getCause(), x);
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the policy stage's topics: " + e, e);
    }
  }

  private Map<String, String> topicConfig(String topic) {
    if (topic.equals(wiring.crashesTopic())) {
      // One record per input partition, the last crash on it: compaction keeps it bounded.
      return Map.of("cleanup.policy", "compact");
    }
    // A week: the policy stage reads them within moments; more is for an outage.
    return Map.of("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
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
    }
    guard.load();
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
    // Neither handler answers FAIL for a record's fault: each dead-letters it
    // (docs/architecture.md).
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    p.put(StreamFailures.CONFIG_KEY, failures);
    streams = new KafkaStreams(PolicyTopology.build(wiring, guard), p);
    streams.setUncaughtExceptionHandler(
        e -> {
          // Runs on the thread that died: the guard knows which record it was on.
          String on = guard.died().map(CrashGuard.Position::toString).orElse("no record");
          replacements++;
          if (replacements <= MAX_THREAD_REPLACEMENTS) {
            log.error(
                "policy stage failed ({} of {}) on {}; its thread is replaced and resumes from the"
                    + " last commit",
                replacements,
                MAX_THREAD_REPLACEMENTS,
                on,
                e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          fatal.fatal("policy stage failed " + replacements + " times", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          log.info("policy stage {} -> {}", before, now);
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
    closeStreams();
    if (failureProducer != null) {
      failureProducer.close(Duration.ofSeconds(10));
      failureProducer = null;
    }
    ScratchDirs.release(stateDir);
  }

  private void closeStreams() {
    if (streams != null) {
      streams.close(
          new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
      streams = null;
    }
  }
}

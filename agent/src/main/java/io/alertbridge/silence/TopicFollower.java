package io.alertbridge.silence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a (compacted) topic whole, from its beginning, then follows it, handing each record to a
 * callback on a daemon thread of its own. Every instance reads every record, so it uses no consumer
 * group: it assigns all partitions and commits nothing. Only committed records are read ({@code
 * read_committed}), so a state changelog written in exactly-once transactions reads as its
 * application last committed it. A broker restart is waited out (the client reconnects), and a
 * record the callback cannot take is logged and skipped: one bad value must not stop the rest.
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  /** The largest record the compacted topics created here take. */
  public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final Map<String, Object> properties;
  private final BiConsumer<String, byte[]> onRecord;
  private final Runnable afterBatch;
  private final String threadName;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean replaying = true;
  private boolean appearedLate;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param onRecord called with each record's key and value ({@code null}: a tombstone)
   */
  public TopicFollower(
      String topic,
      Map<String, Object> consumerProperties,
      BiConsumer<String, byte[]> onRecord,
      String threadName) {
    this(topic, consumerProperties, onRecord, () -> {}, threadName);
  }

  /**
   * @param afterBatch called after the records of each poll, so that a reader of many records can
   *     rebuild what it derives from them once per batch rather than once per record
   */
  public TopicFollower(
      String topic,
      Map<String, Object> consumerProperties,
      BiConsumer<String, byte[]> onRecord,
      Runnable afterBatch,
      String threadName) {
    this.topic = topic;
    this.onRecord = onRecord;
    this.afterBatch = afterBatch;
    this.threadName = threadName;
    Map<String, Object> p = new HashMap<>(consumerProperties);
    // No group: each instance reads everything, and nothing is committed anywhere.
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A missing topic must not be created by a read with the broker's defaults (not compacted).
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, threadName);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.properties = Map.copyOf(p);
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException(threadName + " already started");
    }
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits until every record that was on the topic when the follower started has been handed over;
   * true at once for a topic that does not exist (there is nothing to read).
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether every record that was on the topic at start has been handed over. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  /**
   * For the callback: whether the record being handed over was already on the topic when the
   * follower started (the initial read), rather than written since.
   */
  public boolean replaying() {
    return replaying;
  }

  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(properties)) {
      consumer = c;
      if (!running) {
        return;
      }
      Map<TopicPartition, Long> ends = assign(c);
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
            Long end = appearedLate ? null : ends.get(new TopicPartition(r.topic(), r.partition()));
            replaying = end != null && r.offset() < end;
            hand(r);
          }
          replaying = false;
          afterBatch.run();
          if (!caughtUp() && reached(c, ends)) {
            caughtUp.countDown();
          }
        } catch (WakeupException e) {
          // close() asked: the loop condition ends it
        } catch (KafkaException | IllegalStateException e) {
          // A broker away or a leader moving: the client reconnects on the next poll.
          log.warn("{}: reading {} failed, retrying: {}", threadName, topic, e.toString());
          pause();
        }
      }
    } catch (WakeupException e) {
      // closed while assigning
    } catch (RuntimeException e) {
      log.error("{}: stopped reading {}", threadName, topic, e);
    }
  }

  /** Assigns every partition, once the topic exists; the end offsets it has at that moment. */
  private Map<TopicPartition, Long> assign(KafkaConsumer<byte[], byte[]> c) {
    while (running) {
      try {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
          // Nothing to read yet: nothing to wait for either; it is read once it appears, and
          // everything on it then was written after the start.
          caughtUp.countDown();
          appearedLate = true;
          pause();
          continue;
        }
        List<TopicPartition> parts =
            infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> ends = Map.copyOf(c.endOffsets(parts, Duration.ofSeconds(30)));
        log.debug(
            "{}: reading {} ({} partition(s)) from the beginning", threadName, topic, ends.size());
        return ends;
      } catch (WakeupException e) {
        throw e;
      } catch (KafkaException e) {
        log.warn("{}: cannot describe {} yet, retrying: {}", threadName, topic, e.toString());
        pause();
      }
    }
    return Map.of();
  }

  private boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void hand(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    try {
      onRecord.accept(key, r.value());
    } catch (RuntimeException e) {
      log.error(
          "{}: record {}-{}@{} (key {}) skipped: {}",
          threadName,
          r.topic(),
          r.partition(),
          r.offset(),
          key,
          e.toString());
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Creates {@code topic} compacted (one partition, records up to {@link #MAX_MESSAGE_BYTES})
   * unless it exists; an existing topic is left as it is.
   *
   * @param minInsyncReplicas null: the broker's default
   * @throws KafkaException when it cannot be created (no broker, no permission), with the cause
   */
  public static void ensureTopic(
      Admin admin, String topic, int replicationFactor, Integer minInsyncReplicas) {
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    if (minInsyncReplicas != null) {
      configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas.toString());
    }
    NewTopic t = new NewTopic(topic, 1, (short) replicationFactor).configs(configs);
    try {
      // Asked first: a principal that may read and write the topic but not create topics gets an
      // authorization error from CreateTopics even when the topic exists (review of issue 17).
      if (admin
          .listTopics()
          .names()
          .get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .contains(topic)) {
        return;
      }
      admin.createTopics(Set.of(t)).all().get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info("created compacted topic {}, replication factor {}", topic, replicationFactor);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new KafkaException(
            "cannot create topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new KafkaException("cannot create topic " + topic + ": no answer in " + CREATE_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while creating topic " + topic, e);
    }
  }
}

package io.alertbridge.silence;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences on the compacted topic {@code STATE-silences}, one record per silence keyed by its
 * id, read whole by every instance ({@link TopicFollower}) into an immutable {@link SilenceIndex}
 * that look-ups read without a lock. Of two values of one id the newer {@code updatedAt} wins, so
 * two instances that expire and edit one silence at once agree on the outcome whatever order the
 * topic has them in. A write returns once this instance has read it back, so what an operator just
 * added shows in the next list, from any client of this instance.
 */
public final class KafkaSilences implements SilenceStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaSilences.class);

  /** How long a write waits for the broker, then for its own read-back. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  /** Told of each silence written after this instance's initial read, on the reading thread. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param before the silence's previous value; null for a new one
     * @param after its new value (an expiry: {@code endsAt} now). Purges are not reported
     */
    void changed(Silence before, Silence after);
  }

  /** What look-ups read: replaced whole after each batch of records. */
  private record View(Map<String, Silence> byId, List<Silence> newestFirst, SilenceIndex index) {
    static final View EMPTY = new View(Map.of(), List.of(), SilenceIndex.EMPTY);
  }

  private final String topic;
  private final Map<String, Object> consumerProperties;
  private final Map<String, Object> producerProperties;
  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Written by the follower thread only. */
  private final Map<String, Silence> latest = new HashMap<>();

  private final List<Silence[]> unannounced = new ArrayList<>();
  private boolean dirty;
  private final Object applied = new Object();
  private volatile View view = View.EMPTY;
  private TopicFollower follower;
  private KafkaProducer<byte[], byte[]> producer;

  public KafkaSilences(
      String topic,
      Map<String, Object> consumerProperties,
      Map<String, Object> producerProperties,
      Clock clock) {
    this.topic = topic;
    this.consumerProperties = Map.copyOf(consumerProperties);
    Map<String, Object> p = new HashMap<>(producerProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "alertbridge-silences");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(WRITE_TIMEOUT.toMillis()));
    // A write given up on must be given up by the producer too: with Kafka's default of 120 s it
    // would still be delivered after the caller was told it failed, a silence nobody knows of
    // (review of issue 17). Request timeout and linger fit inside the delivery timeout.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(WRITE_TIMEOUT.toMillis()));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(WRITE_TIMEOUT.toMillis() / 2));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producerProperties = Map.copyOf(p);
    this.clock = clock;
  }

  /** The silences topic of the policy whose state topic is {@code stateTopic}. */
  public static String topicFor(String stateTopic) {
    return stateTopic + "-silences";
  }

  public String topic() {
    return topic;
  }

  /** Starts reading the topic; look-ups see nothing until the first batch is read. */
  public synchronized void start() {
    producer = new KafkaProducer<>(producerProperties);
    follower =
        new TopicFollower(
            topic, consumerProperties, this::apply, this::publish, "alertbridge-silences");
    follower.start();
  }

  /** Waits until every silence on the topic at start is in the view; false on timeout. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    TopicFollower f;
    synchronized (this) {
      f = follower;
    }
    return f != null && f.awaitCaughtUp(timeout);
  }

  public void onChange(Listener listener) {
    listeners.add(listener);
  }

  private void apply(String key, byte[] value) {
    if (key == null) {
      log.warn("silences topic {}: a record without a key is skipped", topic);
      return;
    }
    if (value == null) {
      dirty |= latest.remove(key) != null;
      return;
    }
    Silence s;
    try {
      s = SilenceJson.read(value);
    } catch (SilenceJson.UnreadableSilenceException e) {
      log.error("silences topic {}: value of {} skipped: {}", topic, key, e.getMessage());
      return;
    }
    if (!s.id().equals(key)) {
      log.error("silences topic {}: value of {} carries id {}, skipped", topic, key, s.id());
      return;
    }
    Silence before = latest.get(key);
    if (before != null && before.updatedAt().isAfter(s.updatedAt())) {
      return; // an older write that reached the topic late
    }
    latest.put(key, s);
    dirty = true;
    if (!follower.replaying() && !s.equals(before)) {
      unannounced.add(new Silence[] {before, s});
    }
  }

  /** After a batch: one new view for all its records, then the listeners, then the writers. */
  private void publish() {
    if (dirty) {
      dirty = false;
      List<Silence> all = new ArrayList<>(latest.values());
      all.sort(Comparator.comparing(Silence::updatedAt).reversed().thenComparing(Silence::id));
      view = new View(Map.copyOf(latest), List.copyOf(all), SilenceIndex.of(all));
    }
    for (Silence[] change : unannounced) {
      for (Listener l : listeners) {
        try {
          l.changed(change[0], change[1]);
        } catch (RuntimeException e) {
          log.error("silence listener failed on {}", change[1].id(), e);
        }
      }
    }
    unannounced.clear();
    synchronized (applied) {
      applied.notifyAll();
    }
  }

  @Override
  public Optional<Silence> silencing(AlertFields alert, Instant at) {
    return view.index().silencing(alert, at);
  }

  @Override
  public List<Silence> all() {
    return view.newestFirst();
  }

  @Override
  public Optional<Silence> get(String id) {
    return Optional.ofNullable(view.byId().get(id));
  }

  /** Silences pending or active at {@code at}. */
  public int inForce(Instant at) {
    int n = 0;
    for (Silence s : view.newestFirst()) {
      n += s.state(at) == Silence.State.EXPIRED ? 0 : 1;
    }
    return n;
  }

  /**
   * The silences whose end lies in {@code (from, to]}, earliest end first: those that ended by
   * themselves (or were expired) in that span, so alerts they held back can be mailed.
   */
  public List<Silence> endingBetween(Instant from, Instant to) {
    return view.newestFirst().stream()
        .filter(s -> s.endsAt().isAfter(from) && !s.endsAt().isAfter(to))
        .sorted(Comparator.comparing(Silence::endsAt).thenComparing(Silence::id))
        .toList();
  }

  @Override
  public synchronized Silence add(
      List<Matcher> matchers,
      Instant startsAt,
      Instant endsAt,
      String createdBy,
      String comment,
      boolean expireOnResolve) {
    loaded();
    Instant now = clock.instant();
    SilenceRules.check(matchers, startsAt, endsAt, createdBy, comment, now, inForce(now));
    Silence s =
        new Silence(
            UUID.randomUUID().toString(),
            matchers,
            startsAt,
            endsAt,
            createdBy,
            comment,
            expireOnResolve,
            now);
    write(s);
    return s;
  }

  @Override
  public Optional<Silence> expire(String id) {
    loaded();
    Silence s = view.byId().get(id);
    if (s == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (s.state(now) == Silence.State.EXPIRED) {
      return Optional.of(s); // ended already: nothing to write
    }
    Silence expired = s.expiredAt(now);
    write(expired);
    return Optional.of(expired);
  }

  /**
   * Removes (tombstones) the silences that ended more than {@code retention} ago; Alertmanager
   * keeps them 120 hours, for the record of what was silenced.
   *
   * @return how many were removed
   */
  public int purgeExpired(Duration retention) {
    Instant limit = clock.instant().minus(retention);
    int n = 0;
    for (Silence s : view.newestFirst()) {
      if (s.endsAt().isBefore(limit)) {
        send(new ProducerRecord<>(topic, key(s.id()), null), s.id());
        n++;
      }
    }
    return n;
  }

  private void loaded() {
    try {
      if (follower == null || !follower.awaitCaughtUp(WRITE_TIMEOUT)) {
        throw new SilenceStoreException(
            "the silences on " + topic + " are not read yet; try again", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SilenceStoreException("interrupted while reading " + topic, e);
    }
  }

  /** Writes a silence and waits until this instance has read it back. */
  private void write(Silence s) {
    send(new ProducerRecord<>(topic, key(s.id()), SilenceJson.write(s)), s.id());
    long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
    synchronized (applied) {
      while (!readBack(s)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          log.warn(
              "silence {} written to {} but not read back within {}", s.id(), topic, WRITE_TIMEOUT);
          return;
        }
        try {
          applied.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private boolean readBack(Silence s) {
    Silence seen = view.byId().get(s.id());
    return seen != null && !seen.updatedAt().isBefore(s.updatedAt());
  }

  private void send(ProducerRecord<byte[], byte[]> r, String id) {
    try {
      // A little longer than the delivery timeout: the producer decides, and says so.
      producer.send(r).get(WRITE_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new SilenceStoreException(
          "Kafka refused silence " + id + " on " + topic + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new SilenceStoreException(
          "Kafka did not acknowledge silence "
              + id
              + " on "
              + topic
              + " within "
              + WRITE_TIMEOUT
              + "; it may still be stored: see silence list, and expire "
              + id
              + " if it is",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SilenceStoreException("interrupted while writing silence " + id, e);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new SilenceStoreException("cannot write silence " + id + " to " + topic, e);
    }
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (follower != null) {
      follower.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}

package io.alertbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.daemon.Daemon;
import io.alertbridge.embedded.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real daemon on its own thread, with its own topic, dead-letter topic, consumer group and audit
 * file, wired to a real broker and a real SMTP server.
 */
final class RunningDaemon implements AutoCloseable {
  final KafkaFixture.Broker broker;
  final String topic;
  final String deadLetterTopic;
  final String group;
  final Path auditFile;
  private final Daemon daemon;
  private final Thread thread;

  private RunningDaemon(
      KafkaFixture.Broker broker, String topic, String group, Path auditFile, Daemon daemon) {
    this.broker = broker;
    this.topic = topic;
    this.deadLetterTopic = topic + ".dlq";
    this.group = group;
    this.auditFile = auditFile;
    this.daemon = daemon;
    this.thread = new Thread(daemon::run, "daemon-under-test");
    thread.start();
  }

  static String newTopic(KafkaFixture.Broker broker, int partitions) {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaFixture.createTopics(broker, partitions, topic, topic + ".dlq");
    return topic;
  }

  static RunningDaemon start(KafkaFixture.Broker broker, Path dir, int smtpPort, String yaml)
      throws Exception {
    return start(broker, dir, smtpPort, yaml, newTopic(broker, 1), "group-" + UUID.randomUUID());
  }

  static RunningDaemon start(
      KafkaFixture.Broker broker, Path dir, int smtpPort, String yaml, String topic, String group)
      throws Exception {
    Path auditFile = dir.resolve("audit-" + group + ".jsonl");
    AlertbridgeConfig config =
        new ConfigLoader(
                ConfigFixtures.env(broker.bootstrapServers(), topic, group, smtpPort, auditFile))
            .load(ConfigFixtures.write(dir, yaml));
    return new RunningDaemon(
        broker,
        topic,
        group,
        auditFile,
        new Daemon(config, Clock.systemUTC(), UnaryOperator.identity()));
  }

  /** The HTTP endpoint's base URL, once the daemon listens (http.listen set). */
  String httpBase() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (daemon.httpAddress().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    var a = daemon.httpAddress().orElseThrow();
    return "http://" + a.getHostString() + ":" + a.getPort();
  }

  boolean isRunning() {
    return thread.isAlive();
  }

  void produce(String json) {
    produce(new ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8)));
  }

  void produce(ProducerRecord<byte[], byte[]> record) {
    produce(broker, List.of(record));
  }

  /**
   * Produces {@code n} info events with ids {@code prefix-0…}, keyed by id, adds the ids to {@code
   * ids} and waits until the broker acknowledged each.
   */
  static void produceEvents(
      KafkaFixture.Broker broker, String topic, String prefix, int n, List<String> ids) {
    produce(broker, topic, prefix, n, ids, id -> Events.info(id, "reading " + id, ""));
  }

  /** As {@link #produceEvents}, each event a new alert timed now ({@link Events#fresh}). */
  static void produceFresh(
      KafkaFixture.Broker broker, String topic, String prefix, int n, List<String> ids) {
    produce(broker, topic, prefix, n, ids, Events::fresh);
  }

  private static void produce(
      KafkaFixture.Broker broker,
      String topic,
      String prefix,
      int n,
      List<String> ids,
      java.util.function.Function<String, String> event) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = prefix + "-" + i;
      synchronized (ids) {
        ids.add(id);
      }
      records.add(
          new ProducerRecord<>(
              topic,
              id.getBytes(StandardCharsets.UTF_8),
              event.apply(id).getBytes(StandardCharsets.UTF_8)));
    }
    produce(broker, records);
  }

  /** Produces records and waits until the broker acknowledged each. */
  static void produce(KafkaFixture.Broker broker, List<ProducerRecord<byte[], byte[]>> records) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "acks",
                "all",
                "key.serializer",
                ByteArraySerializer.class.getName(),
                "value.serializer",
                ByteArraySerializer.class.getName()))) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : records) {
        acks.add(p.send(r));
      }
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("produce failed", e);
    }
  }

  /**
   * The audit lines written so far. The daemon may be writing a line as this reads: only lines that
   * end with a line end are complete, so a trailing piece without one is left for next time.
   */
  List<JsonNode> audit() {
    if (!Files.exists(auditFile)) {
      return List.of();
    }
    try {
      ObjectMapper json = new ObjectMapper();
      List<JsonNode> lines = new ArrayList<>();
      // Cut at the last line end before decoding: a piece of a line may end inside a character.
      byte[] bytes = Files.readAllBytes(auditFile);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      for (String l : text.split("\n")) {
        if (!l.isEmpty()) {
          lines.add(json.readTree(l));
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The group's committed offset on partition 0 of the topic, or -1 when none is. */
  long committed() throws InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      return new Progress(broker.bootstrapServers(), group, topic)
          .committed(admin)
          .getOrDefault(new TopicPartition(topic, 0), -1L);
    }
  }

  /** Everything on the dead-letter topic so far. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "group.id",
                "dlq-reader-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                "false",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
      c.assign(List.of(new TopicPartition(deadLetterTopic, 0)));
      c.seekToBeginning(c.assignment());
      long end = c.endOffsets(c.assignment()).values().iterator().next();
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (out.size() < end && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    daemon.stop();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    daemon.close();
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.embedded.SmtpSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the policy's scale tests share: a fast producer, cheap audit counts over large audit files,
 * the sizes of every record on the policy's topics, a daemon's metrics, and the received mails
 * split into group mails and digests.
 */
final class PolicyScale {
  /** {@code TypedStore.MAX_VALUE_BYTES}: no record the policy writes may be larger (issue 16). */
  static final int MAX_RECORD_BYTES = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIGEST_SUBJECT =
      Pattern.compile("^\\[alertbridge\\] (\\d+) alerts in (\\d+) groups since");
  private static final Pattern MESSAGE_ID =
      Pattern.compile("^Message-ID: (<[^>]+>)", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
  private static final Pattern ROUTE =
      Pattern.compile("^X-Alertbridge-Route: (\\S+)", Pattern.MULTILINE);

  private PolicyScale() {}

  /** {@code yaml} with the HTTP endpoint on an ephemeral port, for /metrics and /healthz. */
  static String withHttp(String yaml) {
    return yaml.replace("audit:\n", "http:\n  listen: 127.0.0.1:0\naudit:\n");
  }

  /**
   * Produces {@code n} records made by {@code record} through one batching producer and waits until
   * the broker acknowledged all; returns how long it took.
   */
  static Duration produce(
      KafkaFixture.Broker broker, int n, IntFunction<ProducerRecord<byte[], byte[]>> record) {
    long start = System.nanoTime();
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "acks", "all",
                "linger.ms", "20",
                "batch.size", Integer.toString(512 * 1024),
                "compression.type", "lz4",
                "key.serializer", ByteArraySerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
      for (int i = 0; i < n; i++) {
        p.send(
            record.apply(i),
            (meta, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
      }
      p.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("produce failed", failed.get());
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * How often each event id appears in the audit files (a mail's event ids, or a line of its own),
   * skipping {@code uncertain} lines as {@link PolicyRuns#audited} does. Reads line by line, so
   * files of a hundred thousand lines can be polled; a torn last line is left for the next poll.
   */
  static Map<String, Integer> audited(Collection<Path> auditFiles) throws IOException {
    Map<String, Integer> count = new HashMap<>();
    for (JsonNode line : lines(auditFiles)) {
      if (!line.get("status").asText().equals("uncertain")) {
        line.get("event_ids").forEach(id -> count.merge(id.asText(), 1, Integer::sum));
      }
    }
    return count;
  }

  /** Every complete line of the audit files, parsed. */
  static List<JsonNode> lines(Collection<Path> auditFiles) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : auditFiles) {
      if (!Files.exists(f)) {
        continue;
      }
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String l;
        while ((l = r.readLine()) != null) {
          if (l.endsWith("}")) {
            out.add(JSON.readTree(l));
          }
        }
      }
    }
    return out;
  }

  /**
   * The largest record (key plus value bytes) on each topic whose name starts with {@code
   * stateTopic + "-"}: the policy's own topics and its changelogs, read from the beginning and
   * {@code read_committed}, to their end.
   */
  static Map<String, Integer> largestStateRecords(KafkaFixture.Broker broker, String stateTopic)
      throws Exception {
    List<TopicPartition> partitions = new ArrayList<>();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      List<String> topics =
          admin.listTopics().names().get().stream()
              .filter(t -> t.startsWith(stateTopic + "-"))
              .toList();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get()
          .forEach(
              (t, d) ->
                  d.partitions()
                      .forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
    }
    Map<String, Integer> largest = new TreeMap<>();
    partitions.forEach(tp -> largest.put(tp.topic(), 0));
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                broker.bootstrapServers(),
                "group.id",
                "size-reader-" + UUID.randomUUID(),
                "enable.auto.commit",
                "false",
                "isolation.level",
                "read_committed",
                "max.poll.records",
                "5000",
                "key.deserializer",
                ByteArrayDeserializer.class.getName(),
                "value.deserializer",
                ByteArrayDeserializer.class.getName()))) {
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = c.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!atEnd(c, ends)) {
        assertThat(System.nanoTime())
            .as("read the policy's topics to their end")
            .isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          int size =
              (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
          largest.merge(r.topic(), size, Math::max);
        }
      }
    }
    return largest;
  }

  private static boolean atEnd(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Asserts that no record on the policy's topics is larger than the bound, and that the topics
   * read include its event, mail and notification topics and its changelogs (so the check saw what
   * the run wrote).
   */
  static void assertNoStateRecordOverBound(KafkaFixture.Broker broker, String stateTopic)
      throws Exception {
    Map<String, Integer> largest = largestStateRecords(broker, stateTopic);
    System.out.printf("largest record per policy topic (bytes): %s%n", largest);
    assertThat(largest)
        .containsKeys(
            stateTopic + "-events",
            stateTopic + "-mails",
            stateTopic + "-notifications",
            stateTopic + "-alerts-changelog");
    assertThat(largest.get(stateTopic + "-events")).as("records were read").isPositive();
    largest.forEach(
        (topic, bytes) ->
            assertThat(bytes).as("largest record on %s", topic).isLessThan(MAX_RECORD_BYTES));
  }

  /** A counter's value on a daemon's {@code /metrics}. */
  static double metric(RunningDaemon d, String name) throws Exception {
    String body = get(d.httpBase() + "/metrics").body();
    Matcher m =
        Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(body);
    assertThat(m.find()).as("%s on /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until every member of the policy's Streams group and the delivery group has joined:
   * {@code members} of each, the groups stable, so the work is shared from the first event.
   */
  static void awaitMembers(KafkaFixture.Broker broker, String group, int members) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              try (Admin admin =
                  Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Map<String, ConsumerGroupDescription> groups =
                    admin
                        .describeConsumerGroups(List.of(group, DeliveryPath.streamsGroup(group)))
                        .all()
                        .get();
                return groups.values().stream()
                    .allMatch(
                        g -> g.groupState() == GroupState.STABLE && g.members().size() == members);
              }
            });
  }

  /** A mail the sink received: its route header, Message-ID and, for a digest, its counts. */
  record Mail(String route, String messageId, String subject, String text) {
    boolean isDigest() {
      return route.equals("digest");
    }

    /** A digest's alert count, from its subject. */
    int digestAlerts() {
      Matcher m = DIGEST_SUBJECT.matcher(subject);
      assertThat(m.find()).as("a digest's subject: %s", subject).isTrue();
      return Integer.parseInt(m.group(1));
    }
  }

  static List<Mail> mails(SmtpSink sink) throws Exception {
    List<Mail> out = new ArrayList<>();
    for (SmtpSink.Received r : sink.received()) {
      String data = r.dataAsString();
      Matcher route = ROUTE.matcher(data);
      Matcher id = MESSAGE_ID.matcher(data);
      assertThat(route.find() && id.find()).as("route and Message-ID in:\n%s", data).isTrue();
      var parsed = PolicyRuns.parse(r);
      Object content = parsed.getContent();
      out.add(
          new Mail(
              route.group(1),
              id.group(1),
              parsed.getSubject(),
              content instanceof String s ? s : data));
    }
    return out;
  }
}

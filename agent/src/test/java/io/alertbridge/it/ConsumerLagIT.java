package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lag on a topic written in transactions (as Kafka Streams writes the policy's notifications): once
 * everything is delivered, the group's committed offsets are the end offsets, past the commit
 * markers, and the lag gauge reads 0.
 */
@ExtendWith(KafkaFixture.class)
class ConsumerLagIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private SmtpSink sink;

  @BeforeEach
  void startSmtp() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stopSmtp() throws Exception {
    sink.close();
  }

  private static void produceInTransactions(KafkaFixture.Broker kafka, String topic, int n) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "transactional.id",
                "lag-it-" + UUID.randomUUID(),
                "key.serializer",
                ByteArraySerializer.class.getName(),
                "value.serializer",
                ByteArraySerializer.class.getName()))) {
      p.initTransactions();
      for (int i = 0; i < n; i++) {
        p.beginTransaction();
        String event = Events.info("tx-" + i, "Bilge pump running " + i, "");
        p.send(new ProducerRecord<>(topic, event.getBytes(StandardCharsets.UTF_8)));
        p.commitTransaction();
      }
    }
  }

  @Test
  void afterDeliveryFromATransactionalTopicTheCommittedOffsetsAreTheEndOffsetsAndLagIsZero(
      KafkaFixture.Broker kafka) throws Exception {
    String yaml =
        ConfigFixtures.VALID.replace("audit:\n", "http:\n  listen: 127.0.0.1:0\naudit:\n");
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), yaml);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      produceInTransactions(kafka, d.topic, 3);
      await().atMost(WAIT).until(() -> sink.received().size() == 3);
      TopicPartition p0 = new TopicPartition(d.topic, 0);
      long end = admin.listOffsets(Map.of(p0, OffsetSpec.latest())).all().get().get(p0).offset();
      // Three records, each followed by its transaction's commit marker.
      assertThat(end).isEqualTo(6);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(d.group).partitionsToOffsetAndMetadata().get();
                assertThat(committed.get(p0)).isNotNull();
                assertThat(committed.get(p0).offset()).isEqualTo(end);
              });
      String lag =
          "alertbridge_consumer_lag_records{partition=\"0\",topic=\"" + d.topic + "\"} 0.0";
      String base = d.httpBase();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  HTTP.send(
                          HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains(lag));
      assertThat(d.audit()).extracting(a -> a.get("status").asText()).containsOnly("sent");
      assertThat(d.audit()).hasSize(3);
      assertThat(List.of(d.committed())).containsExactly(end);
    }
  }
}

package io.alertbridge.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.TopicFollower;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silences on a real broker, as two daemon instances share them: written through one, in force on
 * the other within seconds, kept across restarts, and not lost to a bad record or a broker outage.
 */
@ExtendWith(KafkaFixture.class)
class SilenceStoreIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AlertFields T3 =
      AlertFields.of(
          "engine-room/plc-3", "overtemp", "critical", Map.of("sensor", "T3", "site", "ship-1"));

  @TempDir Path dir;

  private static String newTopic(KafkaFixture.Broker broker) {
    String topic = KafkaSilences.topicFor("state-" + UUID.randomUUID().toString().substring(0, 8));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      TopicFollower.ensureTopic(admin, topic, 1, null);
    }
    return topic;
  }

  private static KafkaSilences open(KafkaFixture.Broker broker, String topic) throws Exception {
    Map<String, Object> common = new HashMap<>();
    common.put("bootstrap.servers", broker.bootstrapServers());
    KafkaSilences s = new KafkaSilences(topic, common, common, Clock.systemUTC());
    s.start();
    assertThat(s.awaitLoaded(WAIT)).as("loaded").isTrue();
    return s;
  }

  private static Silence addT3(KafkaSilences store, String comment) {
    Instant now = Instant.now();
    return store.add(
        List.of(Matcher.parse("labels.sensor=T3")),
        now,
        now.plus(Duration.ofHours(2)),
        "anna",
        comment,
        false);
  }

  @Test
  void aSilenceAddedThroughOneInstanceHoldsOnTheOtherAndAnExpiryThroughItHoldsOnTheFirst(
      KafkaFixture.Broker broker) throws Exception {
    String topic = newTopic(broker);
    try (KafkaSilences a = open(broker, topic);
        KafkaSilences b = open(broker, topic)) {
      List<Silence[]> seenByB = new CopyOnWriteArrayList<>();
      b.onChange((before, after) -> seenByB.add(new Silence[] {before, after}));

      Silence added = addT3(a, "T3 is being replaced");
      assertThat(a.get(added.id())).as("read back before add returns").contains(added);
      await().atMost(WAIT).until(() -> b.silencing(T3, Instant.now()).isPresent());
      assertThat(b.silencing(T3, Instant.now())).contains(added);

      Silence expired = b.expire(added.id()).orElseThrow();
      assertThat(expired.state(Instant.now())).isEqualTo(Silence.State.EXPIRED);
      await().atMost(WAIT).until(() -> a.silencing(T3, Instant.now()).isEmpty());
      assertThat(a.get(added.id())).contains(expired);
      assertThat(seenByB)
          .extracting(c -> c[0] == null ? null : c[0].id(), c -> c[1])
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(null, added),
              org.assertj.core.groups.Tuple.tuple(added.id(), expired));
    }
  }

  @Test
  void aNewInstanceReloadsEverySilenceAndIsNotToldOfThemAsChanges(KafkaFixture.Broker broker)
      throws Exception {
    String topic = newTopic(broker);
    Silence kept;
    Silence ended;
    try (KafkaSilences a = open(broker, topic)) {
      kept = addT3(a, "kept");
      ended = a.expire(addT3(a, "ended").id()).orElseThrow();
    }
    try (KafkaSilences restarted = open(broker, topic)) {
      List<Silence> changes = new CopyOnWriteArrayList<>();
      restarted.onChange((before, after) -> changes.add(after));
      assertThat(restarted.all()).containsExactlyInAnyOrder(kept, ended);
      assertThat(restarted.silencing(T3, Instant.now())).contains(kept);
      assertThat(changes).isEmpty();
    }
  }

  @Test
  void anUnreadableValueIsSkippedAndTheFollowerReadsOn(KafkaFixture.Broker broker)
      throws Exception {
    String topic = newTopic(broker);
    try (KafkaSilences a = open(broker, topic)) {
      RunningDaemon.produce(
          broker,
          List.of(
              new ProducerRecord<>(
                  topic,
                  "garbage".getBytes(StandardCharsets.UTF_8),
                  new byte[] {(byte) 0xff, 0x00, 0x7b}),
              new ProducerRecord<>(
                  topic,
                  "future".getBytes(StandardCharsets.UTF_8),
                  "{\"v\":2,\"id\":\"future\"}".getBytes(StandardCharsets.UTF_8))));
      Silence after = addT3(a, "after the garbage");
      assertThat(a.all()).containsExactly(after);
      try (KafkaSilences b = open(broker, topic)) {
        assertThat(b.all()).containsExactly(after);
      }
    }
  }

  @Test
  void theFollowerSkipsARecordItsCallbackFailsOnAndWaitsForAMissingTopic(KafkaFixture.Broker broker)
      throws Exception {
    String topic = "follow-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> read = new CopyOnWriteArrayList<>();
    TopicFollower follower =
        new TopicFollower(
            topic,
            Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "ignored"),
            (key, value) -> {
              if (key.equals("bad")) {
                throw new IllegalStateException("cannot take " + key);
              }
              read.add(key + "=" + (value == null ? null : new String(value, UTF_8)));
            },
            "follower-under-test");
    try (follower) {
      follower.start();
      assertThat(follower.awaitCaughtUp(WAIT)).as("nothing to read yet").isTrue();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        TopicFollower.ensureTopic(admin, topic, 1, null);
        TopicFollower.ensureTopic(admin, topic, 1, null); // exists: left as it is
      }
      RunningDaemon.produce(
          broker,
          List.of(
              new ProducerRecord<>(topic, "a".getBytes(UTF_8), "1".getBytes(UTF_8)),
              new ProducerRecord<>(topic, "bad".getBytes(UTF_8), "2".getBytes(UTF_8)),
              new ProducerRecord<>(topic, "a".getBytes(UTF_8), null)));
      await().atMost(WAIT).until(() -> read.size() == 2);
      assertThat(read).containsExactly("a=1", "a=null");
    }
  }

  @Test
  void expiredSilencesArePurgedAfterTheirRetention(KafkaFixture.Broker broker) throws Exception {
    String topic = newTopic(broker);
    try (KafkaSilences a = open(broker, topic)) {
      Silence ended = a.expire(addT3(a, "ended").id()).orElseThrow();
      Silence kept = addT3(a, "kept");
      assertThat(a.purgeExpired(Duration.ofHours(120))).isZero();
      Thread.sleep(5); // the expiry must lie before now minus a zero retention
      assertThat(a.purgeExpired(Duration.ZERO)).isEqualTo(1);
      await().atMost(WAIT).until(() -> a.get(ended.id()).isEmpty());
      assertThat(a.all()).containsExactly(kept);
    }
  }

  @Test
  void theStoreRidesOutABrokerRestart() throws Exception {
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("broker"))) {
      broker.start();
      String topic = newTopic(broker);
      try (KafkaSilences a = open(broker, topic);
          KafkaSilences b = open(broker, topic)) {
        addT3(a, "before the outage");
        broker.kill();
        Thread.sleep(3000);
        broker.start();
        Silence after =
            await()
                .atMost(Duration.ofSeconds(90))
                .ignoreExceptions()
                .until(() -> addT3(b, "after the outage"), s -> s != null);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.get(after.id()).isPresent());
        assertThat(a.all()).hasSize(2);
      }
    }
  }
}

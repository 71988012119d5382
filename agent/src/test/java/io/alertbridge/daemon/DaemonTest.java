package io.alertbridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.kafka.GroupOffsets;
import io.alertbridge.kafka.InMemoryGroupOffsets;
import io.alertbridge.kafka.KafkaClientFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's own lifecycle, with Kafka's mock clients. */
class DaemonTest {
  @TempDir Path dir;

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private final AtomicInteger adminRequests = new AtomicInteger();

  private final KafkaClientFactory mocks =
      new KafkaClientFactory() {
        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> properties) {
          return consumer;
        }

        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> properties) {
          return producer;
        }

        @Override
        public Admin admin(Map<String, Object> properties) {
          // The topic check runs before the daemon (StartupCheck); the daemon must not need one.
          adminRequests.incrementAndGet();
          throw new AssertionError("the daemon asked for an admin client");
        }

        @Override
        public GroupOffsets groupOffsets(Map<String, Object> properties) {
          // Aligning the groups' offsets for policy.enabled (PolicySwitch): none to align here.
          return new InMemoryGroupOffsets();
        }
      };

  private Daemon daemon() throws Exception {
    AlertbridgeConfig config =
        new ConfigLoader(Map.of("AUDIT", dir.resolve("audit.jsonl").toString()))
            .load(ConfigFixtures.write(dir, ConfigFixtures.VALID));
    return new Daemon(config, Clock.systemUTC(), UnaryOperator.identity(), mocks);
  }

  private static List<String> alertbridgeThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("alertbridge-"))
        .toList();
  }

  @Test
  void stopAndCloseLeaveNoThreadAndCloseEveryClient() throws Exception {
    Daemon daemon = daemon();
    Thread runner = new Thread(daemon::run, "runner");
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.subscription().contains("alerts"));
    daemon.stop();
    runner.join(10_000);
    daemon.close();
    assertThat(consumer.closed()).isTrue();
    assertThat(producer.closed()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> alertbridgeThreads().isEmpty());
    assertThat(daemon.failure()).isEmpty();
    assertThat(adminRequests).hasValue(0);
  }

  @Test
  void closeWithoutRunClosesTheConsumerToo() throws Exception {
    Daemon daemon = daemon();
    daemon.close();
    assertThat(consumer.closed()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> alertbridgeThreads().isEmpty());
  }

  @Test
  void aFatalErrorStopsTheRunAndIsReported() throws Exception {
    Daemon daemon = daemon();
    Thread runner = new Thread(daemon::run, "runner");
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> consumer.subscription().contains("alerts"));
    daemon.fatal("writing to the dead-letter topic", new IllegalStateException("not authorised"));
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    daemon.close();
    assertThat(daemon.failure())
        .contains(
            "writing to the dead-letter topic: java.lang.IllegalStateException: not authorised");
  }

  @Test
  void aKafkaRefusalThatStopsTheDaemonIsAConfigurationErrorOtherFailuresAreNot() throws Exception {
    Daemon refused = daemon();
    refused.fatal(
        "policy stage failed 4 times",
        new org.apache.kafka.streams.errors.StreamsException(
            new org.apache.kafka.common.errors.TransactionalIdAuthorizationException(
                "Transactional Id authorization failed.")));
    assertThat(refused.failedOnConfiguration()).isTrue();
    refused.close();

    Daemon broken = daemon();
    broken.fatal("policy stage failed 4 times", new IllegalStateException("a bug"));
    assertThat(broken.failedOnConfiguration()).isFalse();
    assertThat(broken.failure())
        .hasValue("policy stage failed 4 times: java.lang.IllegalStateException: a bug");
    broken.close();
  }

  @Test
  void theShutdownBudgetOfTheDefaultsFitsANinetySecondGracePeriod() {
    // delivery.shutdown-timeout 30 s + consumer close 15 s + Streams close 20 s + workers 5 s +
    // connections and files 5 s; the hook waits 5 s more, and the JVM needs a moment to exit.
    assertThat(Daemon.shutdownBudget(io.alertbridge.config.DeliverySettings.DEFAULTS))
        .isEqualTo(Duration.ofSeconds(75));
  }
}

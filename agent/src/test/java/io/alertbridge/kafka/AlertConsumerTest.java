package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.delivery.ScriptedPipeline;
import io.alertbridge.event.EventDecoderTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer loop against Kafka's own {@link MockConsumer}: rebalances and lost partitions happen
 * exactly when the test says, and the committed offsets are read back from the mock.
 */
class AlertConsumerTest {
  private static final TopicPartition P0 = new TopicPartition("alerts", 0);

  /**
   * A MockConsumer that keeps the rebalance listener (so a test can report partitions lost) and
   * every offset committed (the mock forgets those of partitions no longer assigned).
   */
  static final class ListeningMockConsumer extends MockConsumer<byte[], byte[]> {
    volatile ConsumerRebalanceListener listener;
    final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      super.commitSync(offsets);
      offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
    }

    @Override
    public synchronized void commitAsync(
        Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
      super.commitAsync(offsets, callback);
      offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
    }

    ListeningMockConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void subscribe(
        Collection<String> topics, ConsumerRebalanceListener listener) {
      this.listener = listener;
      super.subscribe(topics, listener);
    }
  }

  @TempDir Path dir;
  private ScriptedPipeline pipeline;
  private AlertbridgeConfig config;
  private final ListeningMockConsumer mock = new ListeningMockConsumer();
  private AlertConsumer consumer;
  private Thread thread;

  @BeforeEach
  void start() throws Exception {
    pipeline = new ScriptedPipeline(dir, ConfigFixtures.VALID);
    config = new ConfigLoader(Map.of()).load(dir.resolve("alertbridge.yaml"));
    consumer =
        new AlertConsumer(
            config.kafka(),
            config.delivery(),
            pipeline.processor(3, Duration.ofMillis(20)),
            pipeline.workers,
            pipeline.fatalHandler(),
            mock);
    mock.updateBeginningOffsets(Map.of(P0, 0L));
    mock.schedulePollTask(() -> mock.rebalance(List.of(P0)));
    thread = new Thread(consumer, "consumer-under-test");
    thread.start();
  }

  @AfterEach
  void stop() throws Exception {
    consumer.stop();
    thread.join(10_000);
    pipeline.close();
  }

  private void add(long offset) {
    mock.schedulePollTask(
        () ->
            mock.addRecord(
                new ConsumerRecord<>(
                    "alerts",
                    0,
                    offset,
                    null,
                    EventDecoderTestData.OVERTEMP.getBytes(StandardCharsets.UTF_8))));
  }

  private Long committed() {
    return mock.commits.get(P0);
  }

  @Test
  void commitsOffsetsOnlyAfterTheServerAccepted() {
    CountDownLatch release = new CountDownLatch(1);
    pipeline.server =
        m -> {
          block(release);
          return pipeline.accept(m);
        };
    add(0);
    add(1);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> committed() == null);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(committed()));
    assertThat(pipeline.sent).hasSize(2);
  }

  @Test
  void oncePendingWorkIsDoneThePositionPastATransactionMarkerIsCommitted() {
    add(0);
    // Offset 1 is the producer's commit marker: the fetcher skips it, no record is returned.
    mock.schedulePollTask(() -> mock.seek(P0, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(committed()));
    assertThat(pipeline.sent).hasSize(1);
  }

  @Test
  void aPartitionWhoseTailIsOnlyMarkersIsCommittedToItsPositionWithoutARecord() {
    // Offsets 0-2 are an aborted batch and its markers: nothing for this consumer, no lane record.
    mock.schedulePollTask(() -> mock.seek(P0, 3));
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(3).equals(committed()));
    assertThat(pipeline.sent).isEmpty();
  }

  @Test
  void thePositionIsNeverCommittedPastARecordStillInDelivery() {
    CountDownLatch onTheWire = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    holdOnTheWire(onTheWire, release);
    add(0);
    mock.schedulePollTask(() -> mock.seek(P0, 2));
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> committed() == null);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(2).equals(committed()));
  }

  @Test
  void aRevokeWaitsForTheMailOnTheWireAndCommitsIt() throws Exception {
    CountDownLatch onTheWire = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    holdOnTheWire(onTheWire, release);
    add(0);
    assertThat(onTheWire.await(10, TimeUnit.SECONDS)).isTrue();
    // The revoke runs on the consumer thread and blocks it until the transaction ends.
    mock.schedulePollTask(() -> mock.rebalance(List.of()));
    Thread.sleep(200);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(1).equals(committed()));
    assertThat(pipeline.sent).hasSize(1);
  }

  @Test
  void aLostPartitionIsNeverCommittedAndItsQueuedRecordsAreNotMailed() throws Exception {
    CountDownLatch onTheWire = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    holdOnTheWire(onTheWire, release);
    add(0);
    add(1);
    add(2);
    assertThat(onTheWire.await(10, TimeUnit.SECONDS)).isTrue();
    mock.schedulePollTask(() -> mock.listener.onPartitionsLost(List.of(P0)));
    Thread.sleep(300);
    release.countDown();
    Thread.sleep(500);
    assertThat(committed()).as("another member may own the partition now").isNull();
    assertThat(pipeline.sent).as("only the mail already on the wire").hasSize(1);
  }

  @Test
  void anErrorStopsTheDaemonInsteadOfLoopingOverTheRecord() {
    AtomicInteger calls = new AtomicInteger();
    pipeline.server =
        m -> {
          calls.incrementAndGet();
          throw new StackOverflowError("simulated");
        };
    add(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> !pipeline.fatal.isEmpty());
    assertThat(pipeline.fatal).singleElement().isInstanceOf(StackOverflowError.class);
    assertThat(calls).hasValue(1);
    assertThat(committed()).isNull();
  }

  /** The server takes each mail, says so, and answers the final dot only once released. */
  private void holdOnTheWire(CountDownLatch onTheWire, CountDownLatch release) {
    pipeline.server =
        m -> {
          onTheWire.countDown();
          block(release);
          return pipeline.accept(m);
        };
  }

  private static void block(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

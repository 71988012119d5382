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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition is paused by the bytes waiting for delivery, not only by their count, so large
 * records cannot fill the heap while the SMTP server is slow; and resumed once they are delivered.
 */
class BackpressureTest {
  private static final TopicPartition P0 = new TopicPartition("alerts", 0);

  @TempDir Path dir;

  @Test
  void aPartitionIsPausedByTheBytesWaitingAndResumedWhenTheyAreDelivered() throws Exception {
    // About 450 bytes an event: three exceed 1 KiB, far below the 1,000-record limit.
    String yaml =
        ConfigFixtures.VALID.replace(
            "  shutdown-timeout: 5s\n",
            "  shutdown-timeout: 5s\n  max-queued-bytes-per-partition: 1KiB\n");
    ScriptedPipeline pipeline = new ScriptedPipeline(dir, yaml);
    AlertbridgeConfig config = new ConfigLoader(Map.of()).load(dir.resolve("alertbridge.yaml"));
    assertThat(config.delivery().maxQueuedBytesPerPartition().bytes()).isEqualTo(1024);
    CountDownLatch release = new CountDownLatch(1);
    pipeline.server =
        m -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return pipeline.accept(m);
        };
    AlertConsumerTest.ListeningMockConsumer mock = new AlertConsumerTest.ListeningMockConsumer();
    AlertConsumer consumer =
        new AlertConsumer(
            config.kafka(),
            config.delivery(),
            pipeline.processor(3, Duration.ofMillis(20)),
            pipeline.workers,
            pipeline.fatalHandler(),
            mock);
    mock.updateBeginningOffsets(Map.of(P0, 0L));
    mock.schedulePollTask(() -> mock.rebalance(List.of(P0)));
    for (long offset = 0; offset < 4; offset++) {
      long o = offset;
      mock.schedulePollTask(
          () ->
              mock.addRecord(
                  new ConsumerRecord<>(
                      "alerts",
                      0,
                      o,
                      null,
                      EventDecoderTestData.OVERTEMP.getBytes(StandardCharsets.UTF_8))));
    }
    Thread thread = new Thread(consumer, "consumer-under-test");
    thread.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> mock.paused().contains(P0));
      assertThat(pipeline.sent).isEmpty();
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Long.valueOf(4).equals(mock.commits.get(P0)));
      await().atMost(Duration.ofSeconds(10)).until(() -> mock.paused().isEmpty());
      assertThat(pipeline.sent).hasSize(4);
    } finally {
      consumer.stop();
      thread.join(10_000);
      pipeline.close();
    }
  }
}

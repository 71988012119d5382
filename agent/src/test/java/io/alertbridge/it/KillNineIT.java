package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of the packaged daemon at random points while it mails and events keep flowing,
 * five times in a row, restarting it each time, on the direct path and through the policy stage.
 * Nothing may be lost: every event reaches the SMTP server and the audit log, every duplicate
 * carries the same Message-ID, every group ends committed to the end of its topics, every audit
 * line is whole although the process died mid-write, and the last daemon still mails.
 */
@ExtendWith(KafkaFixture.class)
class KillNineIT {
  private static final int KILLS = 5;

  /**
   * A killed member stays in the group until its session times out (45 s by default), and its
   * partitions wait for that. Static membership ({@code kafka.group-instance-id}, as
   * docs/configuration.md recommends for a restarted single instance) lets the restarted daemon
   * take them over at once.
   */
  static final String STATIC_MEMBER =
      ConfigFixtures.VALID.replace(
          "  poll-timeout: 50ms\n",
          "  poll-timeout: 50ms\n"
              + "  group-instance-id: plant-box-1\n"
              + "  properties: {session.timeout.ms: \"10000\"}\n");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void killNineFiveTimesWhileEventsFlowLosesNothing(DeliveryPath path, KafkaFixture.Broker kafka)
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String topic = RunningDaemon.newTopic(kafka, 3);
    String group = "kill9-" + UUID.randomUUID();
    Path audit = dir.resolve("audit.jsonl");
    Path config = ConfigFixtures.write(dir, path.config(STATIC_MEMBER));
    List<String> ids = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start()) {
      Map<String, String> env =
          ConfigFixtures.env(kafka.bootstrapServers(), topic, group, sink.port(), audit);
      AtomicBoolean flowing = new AtomicBoolean(true);
      Thread producer = new Thread(() -> produceWhile(flowing, kafka, topic, ids), "producer");
      producer.start();
      for (int i = 0; i < KILLS; i++) {
        DaemonProcess d = DaemonProcess.run(dir.resolve("daemon-" + i + ".log"), env, config);
        // Killed while it mails, not while it starts: a kill during startup tests nothing.
        await().atMost(Duration.ofSeconds(120)).until(() -> path.ready(d.log(), topic, group));
        int before = sink.received().size();
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.received().size() > before);
        Thread.sleep(random.nextInt(2000));
        d.kill9();
        System.out.printf(
            "%s: kill -9 #%d (seed %d): %d mails received so far%n",
            path, i + 1, seed, sink.received().size());
      }
      flowing.set(false);
      producer.join();
      try (DaemonProcess last = DaemonProcess.run(dir.resolve("daemon-last.log"), env, config)) {
        await().atMost(Duration.ofSeconds(120)).until(() -> path.ready(last.log(), topic, group));
        new Settled(kafka).awaitSettled(path, topic, group, Duration.ofSeconds(180));
        Delivered.assertStillMails(kafka, topic, sink, List.of(audit), ids);
        assertThat(last.sigterm(60)).isZero();
      }
      Delivered delivered = new Delivered(sink.received());
      delivered.assertEveryEventMailedWithOneMessageId(ids);
      delivered.assertAudited(Delivered.wholeLines(List.of(audit)), ids);
      System.out.printf(
          "%s: %d events, %d mails received, %d duplicates after %d kills%n",
          path, ids.size(), sink.received().size(), delivered.duplicates(), KILLS);
    }
  }

  /** 50 events a second until the kills are over, so every kill lands while events flow. */
  private static void produceWhile(
      AtomicBoolean flowing, KafkaFixture.Broker kafka, String topic, List<String> ids) {
    for (int batch = 0; flowing.get(); batch++) {
      RunningDaemon.produceFresh(kafka, topic, "k9-" + batch, 25, ids);
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

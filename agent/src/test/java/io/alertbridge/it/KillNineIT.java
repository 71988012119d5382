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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of the packaged daemon at random points while 1,000 events flow, five times in a
 * row, restarting it each time, on the direct path and through the policy stage. Nothing may be
 * lost: every event reaches the SMTP server and the audit log, every duplicate carries the same
 * Message-ID, every group ends committed to the end of its topics, every audit line is whole
 * although the process died mid-write, and the last daemon still mails.
 */
@ExtendWith(KafkaFixture.class)
class KillNineIT {
  private static final int EVENTS = 1000;
  private static final int KILLS = 5;

  /**
   * A killed member stays in the group until its session times out (45 s by default), and its
   * partitions wait for that. Static membership ({@code group.instance.id}, as
   * docs/configuration.md recommends for a restarted single instance) lets the restarted daemon
   * take them over at once.
   */
  static final String STATIC_MEMBER =
      ConfigFixtures.VALID.replace(
          "  poll-timeout: 50ms\n",
          "  poll-timeout: 50ms\n"
              + "  properties: {group.instance.id: plant-box-1, session.timeout.ms: \"10000\"}\n");

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
      Thread producer = new Thread(() -> produceSlowly(kafka, topic, ids), "producer");
      producer.start();
      for (int i = 0; i < KILLS; i++) {
        DaemonProcess d = DaemonProcess.run(dir.resolve("daemon-" + i + ".log"), env, config);
        Thread.sleep(3000 + random.nextInt(4000));
        d.kill9();
        System.out.printf(
            "%s: kill -9 #%d (seed %d): %d mails received so far%n",
            path, i + 1, seed, sink.received().size());
      }
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

  /** 1,000 events over about 25 seconds, so all five kills land while they flow. */
  private static void produceSlowly(KafkaFixture.Broker kafka, String topic, List<String> ids) {
    for (int batch = 0; batch < 20; batch++) {
      RunningDaemon.produceFresh(kafka, topic, "k9-" + batch, EVENTS / 20, ids);
      try {
        Thread.sleep(1200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

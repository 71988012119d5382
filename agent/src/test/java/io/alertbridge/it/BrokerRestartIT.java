package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker dies mid-stream (SIGKILL), stays away 20 s, and comes back on the same ports with the
 * same data. The daemon keeps running through the outage and catches up, on the direct path and
 * through the policy stage: every event is mailed and audited, duplicates carry the same
 * Message-ID, every group ends committed to the end of its topics, and new alerts are still mailed.
 */
class BrokerRestartIT {
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void theDaemonRidesOutATwentySecondBrokerOutageAndLosesNothing(DeliveryPath path)
      throws Exception {
    try (BrokerProcess broker = new BrokerProcess(dir.resolve("broker"));
        SmtpSink sink = SmtpSink.start()) {
      broker.start();
      // A little slower than loopback, so mail is in flight when the broker dies.
      sink.behaviour(
          new SmtpSink.Behaviour() {
            @Override
            public String endOfData(String queueId) {
              pause(Duration.ofMillis(20));
              return SmtpSink.POSTFIX.endOfData(queueId);
            }
          });
      String topic = RunningDaemon.newTopic(broker, 2);
      String group = "outage-" + UUID.randomUUID();
      List<String> ids = new ArrayList<>();
      try (RunningDaemon d =
          RunningDaemon.start(
              broker, dir, sink.port(), path.config(ConfigFixtures.VALID), topic, group)) {
        RunningDaemon.produceFresh(broker, topic, "before", 200, ids);
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.received().size() >= 40);
        broker.kill();
        int atKill = sink.received().size();
        Thread.sleep(OUTAGE.toMillis());
        assertThat(d.isRunning()).as("the daemon survives the outage").isTrue();
        broker.start();
        RunningDaemon.produceFresh(broker, topic, "after", 100, ids);
        new Settled(broker).awaitSettled(path, topic, group, Duration.ofSeconds(180));
        Delivered.assertStillMails(broker, topic, sink, List.of(d.auditFile), ids);
        Delivered delivered = new Delivered(sink.received());
        delivered.assertEveryEventMailedWithOneMessageId(ids);
        delivered.assertAudited(d.audit(), ids);
        System.out.printf(
            "%s: broker killed after %d mails; %d events, %d mails, %d duplicates%n",
            path, atKill, ids.size(), sink.received().size(), delivered.duplicates());
      }
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

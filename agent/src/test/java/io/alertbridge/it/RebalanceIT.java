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
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two packaged daemons share a topic in one consumer group while mail is in flight; one is stopped
 * with SIGTERM, the other with {@code kill -9}, and a third takes over. Every rebalance happens
 * with mail on the wire, on the direct path and through the policy stage (whose tasks move with the
 * members too): nothing may be lost, duplicates carry the same Message-ID, every event is in one of
 * the three audit logs, every group ends committed to the end, and the third still mails.
 */
@ExtendWith(KafkaFixture.class)
class RebalanceIT {
  private static final int EVENTS = 1000;

  /** A short session, so the partitions of the killed member move on after seconds, not 45 s. */
  private static final String SHORT_SESSION =
      ConfigFixtures.VALID.replace(
          "  poll-timeout: 50ms\n",
          "  poll-timeout: 50ms\n"
              + "  properties: {session.timeout.ms: \"6000\", heartbeat.interval.ms: \"1000\"}\n");

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void sigtermAndKillNineOfGroupMembersWithMailInFlightLoseNothing(
      DeliveryPath path, KafkaFixture.Broker kafka) throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 4);
    String group = "rebalance-" + UUID.randomUUID();
    Path config = ConfigFixtures.write(dir, path.config(SHORT_SESSION));
    List<String> ids = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start()) {
      sink.behaviour(
          new SmtpSink.Behaviour() {
            @Override
            public String endOfData(String queueId) {
              BrokerRestartIT.pause(Duration.ofMillis(15));
              return SmtpSink.POSTFIX.endOfData(queueId);
            }
          });
      Map<String, String> envA =
          ConfigFixtures.env(
              kafka.bootstrapServers(), topic, group, sink.port(), dir.resolve("a.jsonl"));
      Map<String, String> envB =
          ConfigFixtures.env(
              kafka.bootstrapServers(), topic, group, sink.port(), dir.resolve("b.jsonl"));
      Map<String, String> envC =
          ConfigFixtures.env(
              kafka.bootstrapServers(), topic, group, sink.port(), dir.resolve("c.jsonl"));
      List<Path> audits =
          List.of(dir.resolve("a.jsonl"), dir.resolve("b.jsonl"), dir.resolve("c.jsonl"));
      try (DaemonProcess a = DaemonProcess.run(dir.resolve("a.log"), envA, config);
          DaemonProcess b = DaemonProcess.run(dir.resolve("b.log"), envB, config)) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> path.ready(a.log(), topic, group) && path.ready(b.log(), topic, group));
        RunningDaemon.produceFresh(kafka, topic, "rb", EVENTS, ids);
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.received().size() >= 250);
        int atTerm = sink.received().size();
        long termStart = System.nanoTime();
        assertThat(a.sigterm(60)).as("SIGTERM exit code").isZero();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - termStart);
        int afterTerm = sink.received().size();
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.received().size() >= 600);
        b.kill9();
        int afterKill = sink.received().size();
        try (DaemonProcess c = DaemonProcess.run(dir.resolve("c.log"), envC, config)) {
          new Settled(kafka).awaitSettled(path, topic, group, Duration.ofSeconds(180));
          Delivered.assertStillMails(kafka, topic, sink, audits, ids);
          assertThat(c.sigterm(60)).isZero();
        }
        Delivered delivered = new Delivered(sink.received());
        delivered.assertEveryEventMailedWithOneMessageId(ids);
        delivered.assertAudited(Delivered.wholeLines(audits), ids);
        System.out.printf(
            "%s: SIGTERM after %d mails (stop took %s, %d mails meanwhile), kill -9 after %d;"
                + " %d events, %d mails, %d duplicates%n",
            path,
            atTerm,
            stopTook,
            afterTerm - atTerm,
            afterKill,
            ids.size(),
            sink.received().size(),
            delivered.duplicates());
      }
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.Progress;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged daemons share a topic in one consumer group while mail is in flight; one is stopped
 * with SIGTERM, the other with {@code kill -9}, and a third takes over. Every rebalance happens
 * with mail on the wire; nothing may be lost and duplicates carry the same Message-ID.
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

  @Test
  void sigtermAndKillNineOfGroupMembersWithMailInFlightLoseNothing(KafkaFixture.Broker kafka)
      throws Exception {
    String topic = RunningDaemon.newTopic(kafka, 4);
    String group = "rebalance-" + UUID.randomUUID();
    Path config = ConfigFixtures.write(dir, SHORT_SESSION);
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
      try (DaemonProcess a = DaemonProcess.run(dir.resolve("a.log"), envA, config);
          DaemonProcess b = DaemonProcess.run(dir.resolve("b.log"), envB, config)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> assigned(a) && assigned(b));
        RunningDaemon.produceEvents(kafka, topic, "rb", EVENTS, ids);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 250);
        int atTerm = sink.received().size();
        long termStart = System.nanoTime();
        assertThat(a.sigterm(60)).as("SIGTERM exit code").isZero();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - termStart);
        int afterTerm = sink.received().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 600);
        b.kill9();
        int afterKill = sink.received().size();
        try (DaemonProcess c = DaemonProcess.run(dir.resolve("c.log"), envC, config)) {
          assertThat(
                  new Progress(kafka.bootstrapServers(), group, topic)
                      .awaitCommittedToEnd(Duration.ofSeconds(120)))
              .isTrue();
          assertThat(c.sigterm(60)).isZero();
        }
        Delivered delivered = new Delivered(sink.received());
        delivered.assertEveryEventMailedWithOneMessageId(ids);
        List<String> sent = new ArrayList<>();
        for (String f : List.of("a.jsonl", "b.jsonl", "c.jsonl")) {
          Delivered.assertAuditedSent(dir.resolve(f), List.of()).stream()
              .filter(l -> "sent".equals(l.get("status").asText()))
              .forEach(l -> sent.add(l.get("event_id").asText()));
        }
        assertThat(sent).as("sent audit lines across the three daemons").containsAll(ids);
        System.out.printf(
            "SIGTERM after %d mails (stop took %s, %d mails meanwhile), kill -9 after %d;"
                + " %d events, %d mails, %d duplicates%n",
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

  private static boolean assigned(DaemonProcess d) {
    return d.log().contains("partitions assigned: [alerts");
  }
}

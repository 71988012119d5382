package io.alertbridge.smtp.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.smtp.LoopbackSmtp;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpServer;
import io.alertbridge.smtp.SmtpStage;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.alertbridge.smtp.TestMails;
import io.alertbridge.smtp.TlsMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool against two real SMTP servers on loopback ports, made to fail in each way. */
class SmtpPoolTest {
  private SmtpSink primary;
  private SmtpSink backup;
  private SmtpPool pool;

  @BeforeEach
  void start() throws Exception {
    primary = SmtpSink.start();
    backup = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (pool != null) {
      pool.close();
    }
    primary.close();
    backup.close();
  }

  private static SmtpClient client(String name, int port, Duration readTimeout) {
    return new SmtpClient(
        LoopbackSmtp.forServer(
            new SmtpServer(name, "127.0.0.1", port, TlsMode.NONE, null, null),
            readTimeout,
            100,
            Optional.empty(),
            Optional.empty()),
        Clock.systemUTC());
  }

  private static PoolMember member(String name, int priority, int port) {
    return new PoolMember(
        name,
        priority,
        2,
        50,
        client(name, port, Duration.ofSeconds(5)),
        Optional.empty(),
        Optional.empty());
  }

  private SmtpPool pool(PoolMember... members) {
    pool =
        new SmtpPool(
            List.of(members),
            SmtpPool.circuit(50f, 2, Duration.ofMillis(300)),
            Duration.ofSeconds(5));
    return pool;
  }

  private static OutgoingMail mail(int i) throws Exception {
    return TestMails.mail("<m" + i + "@test>", "body " + i, "ops@plant.example");
  }

  @Test
  void allMailGoesToTheBackupWhileThePrimaryRefusesConnections() throws Exception {
    int closedPort = EmbeddedKafka.freePort();
    pool(member("primary", 1, closedPort), member("backup", 2, backup.port()));
    for (int i = 0; i < 10; i++) {
      assertThat(pool.submit(mail(i)).server()).isEqualTo("backup");
    }
    assertThat(backup.received()).hasSize(10);
    assertThat(pool.states()).contains("primary=open", "backup=closed");
  }

  @Test
  void a421ToMailFromFailsOverAtOnce() throws Exception {
    primary.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String mailFrom(String path) {
            return "421 4.3.2 Service not available, closing transmission channel";
          }
        });
    pool(member("primary", 1, primary.port()), member("backup", 2, backup.port()));
    Receipt r = pool.submit(mail(1));
    assertThat(r.server()).isEqualTo("backup");
    assertThat(primary.received()).isEmpty();
    assertThat(backup.received()).hasSize(1);
  }

  @Test
  void noReplyAfterTheDotIsReportedUncertainAndTheBackupGetsTheSameMessageId() throws Exception {
    primary.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String endOfData(String queueId) {
            return null;
          }
        });
    pool(member("primary", 1, primary.port()), member("backup", 2, backup.port()));
    List<SmtpSubmissionException> uncertain = new CopyOnWriteArrayList<>();
    Receipt r = pool.submit(mail(7), uncertain::add);
    assertThat(r.server()).isEqualTo("backup");
    assertThat(uncertain)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.server()).isEqualTo("primary");
              assertThat(e.stage()).isEqualTo(SmtpStage.END_OF_DATA);
              assertThat(e.uncertain()).isTrue();
            });
    assertThat(primary.received()).hasSize(1);
    assertThat(backup.received()).hasSize(1);
    assertThat(primary.received().get(0).dataAsString()).contains("Message-ID: <m7@test>");
    assertThat(backup.received().get(0).dataAsString()).contains("Message-ID: <m7@test>");
  }

  @Test
  void aRecoveredPrimaryGetsTrafficBackAfterItsCircuitHalfOpens() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    primary.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String mailFrom(String path) {
            return down.get() ? "421 4.3.2 down for maintenance" : "250 2.1.0 Ok";
          }
        });
    pool(member("primary", 1, primary.port()), member("backup", 2, backup.port()));
    for (int i = 0; i < 3; i++) {
      assertThat(pool.submit(mail(i)).server()).isEqualTo("backup");
    }
    assertThat(pool.states()).contains("primary=open");
    down.set(false);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> pool.submit(mail(99)).server().equals("primary"));
    assertThat(pool.submit(mail(100)).server()).isEqualTo("primary");
  }

  @Test
  void aRateLimitedServerNeverExceedsItsRateAndNothingIsDropped() throws Exception {
    pool =
        new SmtpPool(
            List.of(
                new PoolMember(
                    "limited",
                    1,
                    2,
                    50,
                    client("limited", primary.port(), Duration.ofSeconds(5)),
                    Optional.of(20),
                    Optional.of(Duration.ofSeconds(2)))),
            SmtpPool.circuit(50f, 5, Duration.ofSeconds(30)),
            Duration.ofSeconds(5));
    List<Long> accepted = new CopyOnWriteArrayList<>();
    primary.onReceived(m -> accepted.add(System.nanoTime()));
    for (int i = 0; i < 45; i++) {
      pool.submit(mail(i));
    }
    assertThat(accepted).hasSize(45);
    List<Long> times = new ArrayList<>(accepted);
    for (int i = 0; i + 20 < times.size(); i++) {
      // Any 21 mails span more than one window (less a margin for the refresh's own timing).
      assertThat(Duration.ofNanos(times.get(i + 20) - times.get(i)))
          .as("21 mails from #%d", i)
          .isGreaterThan(Duration.ofMillis(1900));
    }
  }

  @Test
  void equalPrioritiesShareTheLoad() throws Exception {
    pool(member("a", 1, primary.port()), member("b", 1, backup.port()));
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Receipt>> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        sent.add(threads.submit(() -> pool.submit(mail(n))));
      }
      for (Future<Receipt> f : sent) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(primary.received().size() + backup.received().size()).isEqualTo(40);
    assertThat(primary.received()).isNotEmpty();
    assertThat(backup.received()).isNotEmpty();
  }

  @Test
  void everyServerRefusingTheSenderIsPermanentAndARefusedRecipientNeverFailsOver()
      throws Exception {
    SmtpSink.Behaviour relayDenied =
        new SmtpSink.Behaviour() {
          @Override
          public String mailFrom(String path) {
            return "554 5.7.1 <alerts@plant.example>: Sender address rejected: Access denied";
          }
        };
    primary.behaviour(relayDenied);
    backup.behaviour(relayDenied);
    pool(member("primary", 1, primary.port()), member("backup", 2, backup.port()));
    SmtpSubmissionException refused =
        catchThrowableOfType(SmtpSubmissionException.class, () -> pool.submit(mail(1)));
    assertThat(refused.permanent()).isTrue();
    assertThat(refused.getMessage()).startsWith("every server refused: 554 5.7.1");

    primary.behaviour(SmtpSink.rcpt(p -> "550 5.1.1 <" + p + ">: Recipient address rejected"));
    backup.behaviour(SmtpSink.POSTFIX);
    SmtpSubmissionException unknown =
        catchThrowableOfType(SmtpSubmissionException.class, () -> pool.submit(mail(2)));
    assertThat(unknown.permanent()).isTrue();
    assertThat(unknown.stage()).isEqualTo(SmtpStage.RCPT);
    assertThat(backup.received()).as("a recipient refused is refused everywhere").isEmpty();
  }
}

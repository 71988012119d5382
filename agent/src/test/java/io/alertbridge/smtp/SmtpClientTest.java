package io.alertbridge.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.alertbridge.embedded.SmtpSink;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Angus-based client against real SMTP servers on loopback sockets. */
class SmtpClientTest {
  private SmtpSink sink;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
  }

  static SmtpClientSettings settings(int port, TlsMode tls) throws Exception {
    return LoopbackSmtp.forPort(port, tls);
  }

  /** Submits a mail that must fail, and returns how. */
  private static SmtpSubmissionException failure(SmtpClient client, OutgoingMail mail) {
    return catchThrowableOfType(SmtpSubmissionException.class, () -> client.submit(mail));
  }

  private long commands(String verb) {
    return sink.commands().stream().filter(c -> c.toUpperCase().startsWith(verb)).count();
  }

  @Test
  void returnsTheReplyAndQueueIdAndReusesOneConnection() throws Exception {
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      Receipt first = client.submit(TestMails.mail("<m1@test>", "one", "a@plant.example"));
      Receipt second = client.submit(TestMails.mail("<m2@test>", "two", "b@plant.example"));
      assertThat(first.reply().code()).isEqualTo(250);
      assertThat(first.queueId()).contains(sink.received().get(0).queueId());
      assertThat(second.queueId()).contains(sink.received().get(1).queueId());
      assertThat(first.server()).isEqualTo("127.0.0.1:" + sink.port());
      assertThat(commands("EHLO")).isEqualTo(1);
      assertThat(sink.received().get(0).envelopeFrom()).isEqualTo("alerts@plant.example");
    }
  }

  @Test
  void sendsOneTransactionWithAllRecipients() throws Exception {
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      client.submit(TestMails.mail("<m1@test>", "one", "a@plant.example", "b@plant.example"));
      assertThat(sink.received()).hasSize(1);
      assertThat(sink.received().get(0).recipients())
          .containsExactly("a@plant.example", "b@plant.example");
    }
  }

  @Test
  void transientReplyIsRetryableAndKeepsTheServerReply() throws Exception {
    sink.behaviour(SmtpSink.rcpt(path -> "451 4.7.1 Greylisted, try again later"));
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      SmtpSubmissionException e =
          failure(client, TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(e.permanent()).isFalse();
      assertThat(e.reply().orElseThrow().code()).isEqualTo(451);
      assertThat(e.reply().orElseThrow().enhancedStatus()).contains("4.7.1");
      assertThat(commands("DATA")).isZero();
    }
  }

  @Test
  void aRefusedRecipientDoesNotKeepTheMailFromTheOthers() throws Exception {
    sink.behaviour(
        SmtpSink.rcpt(
            path ->
                path.startsWith("nobody")
                    ? "550 5.1.1 <" + path + ">: Recipient address rejected"
                    : path.startsWith("busy") ? "452 4.5.3 Too many recipients" : "250 2.1.5 Ok"));
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      Receipt r =
          client.submit(
              TestMails.mail(
                  "<m1@test>",
                  "x",
                  "a@plant.example",
                  "nobody@plant.example",
                  "busy@plant.example"));
      assertThat(r.accepted()).containsExactly("a@plant.example");
      assertThat(r.refused())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.address()).isEqualTo("nobody@plant.example");
                assertThat(f.reply().code()).isEqualTo(550);
                assertThat(f.reply().enhancedStatus()).contains("5.1.1");
              });
      assertThat(r.deferred())
          .extracting(RecipientResult::address)
          .containsExactly("busy@plant.example");
      assertThat(r.queueId()).contains(sink.received().get(0).queueId());
      assertThat(sink.received().get(0).recipients()).containsExactly("a@plant.example");
    }
  }

  @Test
  void everyRecipientRefusedIsPermanentAndTheConnectionCarriesOn() throws Exception {
    sink.behaviour(SmtpSink.rcpt(path -> "550 5.1.1 <" + path + ">: Recipient address rejected"));
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      SmtpSubmissionException e =
          catchThrowableOfType(
              SmtpSubmissionException.class,
              () ->
                  client.submit(
                      TestMails.mail("<m1@test>", "x", "a@plant.example", "nobody@plant.example")));
      assertThat(e.permanent()).isTrue();
      assertThat(e.stage()).isEqualTo(SmtpStage.RCPT);
      assertThat(e.recipients()).hasSize(2).allMatch(RecipientResult::refused);
      assertThat(sink.received()).isEmpty();
      // The connection survives a refused transaction and carries the next one.
      sink.behaviour(SmtpSink.POSTFIX);
      client.submit(TestMails.mail("<m2@test>", "y", "a@plant.example"));
      assertThat(sink.received()).hasSize(1);
      assertThat(commands("EHLO")).isEqualTo(1);
    }
  }

  @Test
  void reconnectsAfterTheServerDropsTheConnection() throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String endOfData(String queueId) {
            return "421 4.3.2 Service shutting down";
          }
        });
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC())) {
      SmtpSubmissionException e =
          failure(client, TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(e.permanent()).isFalse();
      sink.behaviour(SmtpSink.POSTFIX);
      Receipt r = client.submit(TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(r.reply().code()).isEqualTo(250);
      assertThat(commands("EHLO")).isEqualTo(2);
    }
  }

  @Test
  void unreachableServerIsATransientFailureWithoutReply() throws Exception {
    int port = sink.port();
    sink.close();
    try (SmtpClient client = new SmtpClient(settings(port, TlsMode.NONE), Clock.systemUTC())) {
      SmtpSubmissionException e =
          failure(client, TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(e.permanent()).isFalse();
      assertThat(e.reply()).isEmpty();
      assertThat(e.server()).isEqualTo("127.0.0.1:" + port);
    }
  }

  @Test
  void starttlsRequiredNeverFallsBackToPlaintext() throws Exception {
    try (SmtpClient client =
        new SmtpClient(settings(sink.port(), TlsMode.STARTTLS), Clock.systemUTC())) {
      SmtpSubmissionException e =
          failure(client, TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(e.permanent()).isFalse();
      assertThat(e.getMessage()).contains("STARTTLS");
      assertThat(commands("MAIL")).isZero();
      assertThat(sink.received()).isEmpty();
    }
  }

  @Test
  void authenticatesWithConfiguredCredentialsAndTreatsARefusedLoginAsTransient() throws Exception {
    GreenMail server =
        new GreenMail(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alertbridge", "s3cret"));
    server.start();
    try {
      int port = server.getSmtp().getPort();
      try (SmtpClient good = new SmtpClient(withLogin(port, "s3cret"), Clock.systemUTC())) {
        assertThat(good.submit(TestMails.mail("<m1@test>", "x", "a@plant.example")).reply().code())
            .isEqualTo(250);
      }
      try (SmtpClient bad = new SmtpClient(withLogin(port, "wrong"), Clock.systemUTC())) {
        SmtpSubmissionException e =
            failure(bad, TestMails.mail("<m2@test>", "y", "a@plant.example"));
        assertThat(e.permanent()).isFalse();
        assertThat(e.getMessage()).doesNotContain("wrong");
      }
      assertThat(server.getReceivedMessages()).hasSize(1);
    } finally {
      server.stop();
    }
  }

  private static SmtpClientSettings withLogin(int port, String password) {
    return LoopbackSmtp.forServer(
        SmtpServer.at("127.0.0.1", port, TlsMode.NONE, "alertbridge", password));
  }

  @Test
  void implicitTlsRefusesAServerItCannotVerify() throws Exception {
    GreenMail smtps = new GreenMail(ServerSetupTest.SMTPS.dynamicPort());
    smtps.start();
    try (SmtpClient client =
        new SmtpClient(settings(smtps.getSmtps().getPort(), TlsMode.IMPLICIT), Clock.systemUTC())) {
      SmtpSubmissionException e =
          failure(client, TestMails.mail("<m1@test>", "x", "a@plant.example"));
      assertThat(e.permanent()).isFalse();
      assertThat(e.getMessage()).containsIgnoringCase("certificat");
      assertThat(smtps.getReceivedMessages()).isEmpty();
    } finally {
      smtps.stop();
    }
  }

  @Test
  void aSubmissionAfterCloseIsRefusedWithoutOpeningAConnection() throws Exception {
    SmtpClient client = new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC());
    client.close();
    SmtpSubmissionException e =
        failure(client, TestMails.mail("<late@test>", "x", "a@plant.example"));
    assertThat(e.permanent()).as("the record stays uncommitted and is delivered later").isFalse();
    assertThat(e.getMessage()).isEqualTo("the SMTP client is closed");
    assertThat(commands("EHLO")).isZero();
  }

  @Test
  void closeLetsTheMailOnTheWireFinishAndThenClosesItsConnection() throws Exception {
    CountDownLatch inData = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String endOfData(String queueId) {
            inData.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return "250 2.0.0 Ok: queued as " + queueId;
          }
        });
    SmtpClient client = new SmtpClient(settings(sink.port(), TlsMode.NONE), Clock.systemUTC());
    OutgoingMail mail = TestMails.mail("<wire@test>", "x", "a@plant.example");
    CompletableFuture<Receipt> receipt =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client.submit(mail);
              } catch (SmtpSubmissionException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(inData.await(10, TimeUnit.SECONDS)).isTrue();
    client.close();
    release.countDown();
    assertThat(receipt.get(10, TimeUnit.SECONDS).queueId())
        .contains(sink.received().get(0).queueId());
    await().atMost(Duration.ofSeconds(5)).until(() -> commands("QUIT") == 1);
  }

  @Test
  void aServerThatStopsReadingMidMessageIsCutOffByTheWriteTimeout() throws Exception {
    try (java.net.ServerSocket server = new java.net.ServerSocket()) {
      // A small receive window, so the client's writes block soon after the server stops reading.
      server.setReceiveBufferSize(4096);
      server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      CountDownLatch inData = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Thread stalls =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  var in =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(
                              s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                  var out = s.getOutputStream();
                  out.write(
                      "220 stalls ESMTP\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                  for (String line; (line = in.readLine()) != null; ) {
                    String reply = line.startsWith("DATA") ? "354 go ahead" : "250 ok";
                    out.write(
                        (reply + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    if (line.startsWith("DATA")) {
                      inData.countDown();
                      done.await(); // reads nothing more
                      return;
                    }
                  }
                } catch (Exception ignored) {
                  // the client hung up
                }
              });
      stalls.setDaemon(true);
      stalls.start();
      SmtpClientSettings base = LoopbackSmtp.forPort(server.getLocalPort());
      SmtpClient client =
          new SmtpClient(
              new SmtpClientSettings(
                  base.server(),
                  base.envelopeSender(),
                  base.helo(),
                  base.connectTimeout(),
                  Duration.ofSeconds(60),
                  Duration.ofMillis(500),
                  Duration.ofSeconds(60),
                  base.idleTimeout(),
                  1,
                  100,
                  java.util.Optional.empty(),
                  java.util.Optional.empty()),
              Clock.systemUTC());
      try {
        OutgoingMail big =
            TestMails.mail("<stall@test>", "x".repeat(32 * 1024 * 1024), "ops@plant.example");
        long start = System.nanoTime();
        SmtpSubmissionException e =
            catchThrowableOfType(SmtpSubmissionException.class, () -> client.submit(big));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(inData.getCount()).isZero();
        assertThat(e)
            .as("the blocked write must fail, not wait for the 60 s read timeout")
            .isNotNull();
        assertThat(took).isLessThan(Duration.ofSeconds(30));
      } finally {
        done.countDown();
        client.close();
      }
    }
  }

  private SmtpClient withDataTimeout(Duration dataTimeout) {
    SmtpClientSettings base = LoopbackSmtp.forPort(sink.port());
    return new SmtpClient(
        new SmtpClientSettings(
            base.server(),
            base.envelopeSender(),
            base.helo(),
            base.connectTimeout(),
            Duration.ofSeconds(1),
            base.writeTimeout(),
            dataTimeout,
            base.idleTimeout(),
            1,
            100,
            java.util.Optional.empty(),
            java.util.Optional.empty()),
        Clock.systemUTC());
  }

  private static SmtpSink.Behaviour answersTheDotAfterTwoSeconds() {
    return new SmtpSink.Behaviour() {
      @Override
      public String endOfData(String queueId) {
        try {
          Thread.sleep(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "250 2.0.0 Ok: queued as " + queueId;
      }
    };
  }

  @Test
  void theReplyToTheFinalDotGetsTheDataTimeoutNotTheReadTimeout() throws Exception {
    sink.behaviour(answersTheDotAfterTwoSeconds());
    try (SmtpClient patient = withDataTimeout(Duration.ofSeconds(10))) {
      Receipt r = patient.submit(TestMails.mail("<slow@test>", "x", "a@plant.example"));
      assertThat(r.reply().code()).isEqualTo(250);
      // The next command is back on the short read timeout, on the same connection.
      sink.behaviour(SmtpSink.POSTFIX);
      patient.submit(TestMails.mail("<next@test>", "x", "a@plant.example"));
      assertThat(commands("EHLO")).isEqualTo(1);
    }
    sink.behaviour(answersTheDotAfterTwoSeconds());
    try (SmtpClient hasty = withDataTimeout(Duration.ofSeconds(1))) {
      SmtpSubmissionException e =
          failure(hasty, TestMails.mail("<hasty@test>", "x", "a@plant.example"));
      assertThat(e.uncertain()).isTrue();
      assertThat(e.stage()).isEqualTo(SmtpStage.END_OF_DATA);
    }
  }
}

package io.alertbridge.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.alertbridge.config.DataSize;
import io.alertbridge.config.InboundSettings;
import io.alertbridge.smtp.TlsMode;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher against GreenMail's IMAP server: moves, retries, size limit, IDLE (issue 18). */
class MailboxWatcherTest {
  private GreenMail greenMail;
  private GreenMailUser user;
  private int port;
  private final List<MailboxWatcher> watchers = new ArrayList<>();

  @BeforeEach
  void startServer() {
    greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
    greenMail.start();
    port = greenMail.getImap().getPort();
    user = greenMail.setUser("alertbridge@localhost", "alertbridge", "secret");
  }

  @AfterEach
  void stop() {
    watchers.forEach(MailboxWatcher::close);
    greenMail.stop();
  }

  private InboundSettings settings(Duration pollInterval, DataSize maxSize) {
    return new InboundSettings(
        "127.0.0.1",
        port,
        TlsMode.NONE,
        null,
        "alertbridge",
        "secret",
        null,
        "alerts+{token}@localhost",
        "bounces+{token}@localhost",
        null,
        "unused",
        "INBOX",
        pollInterval,
        maxSize);
  }

  private MailboxWatcher watch(InboundHandler handler, MailboxListener listener, Duration poll) {
    return watch(handler, listener, poll, DataSize.ofMebibytes(1), Sleeper.REAL);
  }

  private MailboxWatcher watch(
      InboundHandler handler,
      MailboxListener listener,
      Duration poll,
      DataSize maxSize,
      Sleeper sleeper) {
    InboundSettings s = settings(poll, maxSize);
    MailboxWatcher w =
        new MailboxWatcher(
            s,
            new ImapSessions(s, Optional.empty(), Optional.empty(), Duration.ofSeconds(30)),
            handler,
            listener,
            sleeper,
            java.time.Clock.systemUTC(),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    watchers.add(w);
    w.start();
    return w;
  }

  private void deliver(String subject, String body) throws Exception {
    String raw =
        "From: chief.engineer@plant.example\r\nTo: alerts+abc@localhost\r\n"
            + "Message-ID: <"
            + subject.replace(' ', '-')
            + "@plant.example>\r\nSubject: "
            + subject
            + "\r\n\r\n"
            + body
            + "\r\n";
    user.deliver(
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
  }

  private int count(String folder) throws Exception {
    ImapHostManager hosts = greenMail.getManagers().getImapHostManager();
    MailFolder f = hosts.getFolder(user, folder);
    return f == null ? -1 : f.getMessageCount();
  }

  @Test
  void movesEachMessageToTheFolderItsDispositionNames() throws Exception {
    deliver("ack", "ack");
    deliver("reject me", "x");
    RecordingHandler handler = new RecordingHandler();

    watch(handler, MailboxListener.NONE, Duration.ofMinutes(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.processed") == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.rejected") == 1);
    assertThat(count("INBOX")).isZero();
    assertThat(handler.handled).containsExactly("ack", "reject me");
  }

  @Test
  void afterMovingItsMailTheWatcherWaitsInsteadOfReadingTheFolderAgainAndAgain() throws Exception {
    AtomicInteger waits = new AtomicInteger();
    AtomicInteger moves = new AtomicInteger();
    watch(
        new RecordingHandler(),
        new MailboxListener() {
          @Override
          public void waiting() {
            waits.incrementAndGet();
          }

          @Override
          public void moved(long uid, Disposition d) {
            moves.incrementAndGet();
          }
        },
        Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> waits.get() == 1);

    deliver("ack", "ack");

    await().atMost(Duration.ofSeconds(10)).until(() -> moves.get() == 1 && waits.get() == 2);
    Thread.sleep(500);
    assertThat(waits).hasValue(2);
  }

  @Test
  void aFailingHandlerLeavesTheMessageInPlaceAndItIsOfferedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Long> failed = new CopyOnWriteArrayList<>();
    InboundHandler kafkaDownTwice =
        (raw, uid) -> {
          if (calls.incrementAndGet() <= 2) {
            assertThat(count("INBOX")).isEqualTo(1);
            throw new IllegalStateException("Kafka unavailable");
          }
          return Disposition.PROCESSED;
        };
    deliver("ack", "ack");

    watch(
        kafkaDownTwice,
        new MailboxListener() {
          @Override
          public void handlerFailed(long uid, Exception e) {
            failed.add(uid);
          }
        },
        Duration.ofMinutes(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.processed") == 1);
    assertThat(calls).hasValue(3);
    assertThat(failed).hasSize(2).containsOnly(failed.get(0));
    assertThat(count("INBOX")).isZero();
  }

  @Test
  void anOversizedMessageIsRejectedWithoutItsBodyBeingRead() throws Exception {
    deliver("big", "x".repeat(5000));
    deliver("small", "ack");
    RecordingHandler handler = new RecordingHandler();

    watch(handler, MailboxListener.NONE, Duration.ofMinutes(10), new DataSize(2048), Sleeper.REAL);

    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.processed") == 1);
    assertThat(count("alertbridge.rejected")).isEqualTo(1);
    assertThat(handler.oversized).containsExactly("<big@plant.example>");
    assertThat(handler.handled).containsExactly("small");
  }

  @Test
  void aRestartDoesNotOfferMovedMessagesAgain() throws Exception {
    deliver("first", "ack");
    deliver("second", "ack");
    RecordingHandler before = new RecordingHandler();
    MailboxWatcher first = watch(before, MailboxListener.NONE, Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.processed") == 2);
    first.close();

    deliver("third", "ack");
    RecordingHandler after = new RecordingHandler();
    watch(after, MailboxListener.NONE, Duration.ofMinutes(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> count("alertbridge.processed") == 3);
    assertThat(before.handled).containsExactly("first", "second");
    assertThat(after.handled).containsExactly("third");
  }

  @Test
  void newMailIsSeenAtOnceThroughIdleNotAtThePollInterval() throws Exception {
    RecordingHandler handler = new RecordingHandler();
    AtomicInteger idle = new AtomicInteger();
    watch(
        handler,
        new MailboxListener() {
          @Override
          public void connected(boolean withIdle) {
            idle.set(withIdle ? 1 : -1);
          }
        },
        Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> idle.get() != 0);
    Thread.sleep(300); // let the watcher enter IDLE on the empty folder

    deliver("late", "ack");

    assertThat(idle).hasValue(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> count("alertbridge.processed") == 1);
  }

  @Test
  void closeEndsIdlePromptly() throws Exception {
    AtomicInteger connected = new AtomicInteger();
    MailboxWatcher w =
        watch(
            new RecordingHandler(),
            new MailboxListener() {
              @Override
              public void connected(boolean withIdle) {
                connected.incrementAndGet();
              }
            },
            Duration.ofMinutes(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> connected.get() == 1);
    Thread.sleep(300);

    long start = System.nanoTime();
    w.close();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anUnreachableServerIsRetriedWithDoublingBackoff() throws Exception {
    greenMail.stop();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    List<Exception> losses = new CopyOnWriteArrayList<>();

    watch(
        new RecordingHandler(),
        new MailboxListener() {
          @Override
          public void disconnected(Exception e) {
            losses.add(e);
          }
        },
        Duration.ofMinutes(10),
        DataSize.ofMebibytes(1),
        d -> {
          waits.add(d);
          Thread.sleep(10);
        });

    await().atMost(Duration.ofSeconds(10)).until(() -> waits.size() >= 4);
    assertThat(List.copyOf(waits).subList(0, 4))
        .containsExactly(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(200));
    assertThat(MailboxWatcher.describe(losses.get(0))).contains("Connection refused");
  }
}

package io.alertbridge.smtp.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpReply;
import io.alertbridge.smtp.TestMails;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reload's change of servers: removed servers drain, added ones take mail at once. */
class SmtpPoolReplaceTest {
  private final ExecutorService senders = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    senders.shutdownNow();
  }

  /** A server in memory that can hold a transaction open until the test lets it finish. */
  private static final class HeldServer implements MailSubmitter {
    final String name;
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    volatile CountDownLatch entered = new CountDownLatch(0);
    volatile CountDownLatch release = new CountDownLatch(0);

    HeldServer(String name) {
      this.name = name;
    }

    void holdNext() {
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    @Override
    public Receipt submit(OutgoingMail mail) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (closed.get()) {
        throw new IllegalStateException(name + " used after close");
      }
      accepted.incrementAndGet();
      return Receipt.of(mail.messageId(), name, SmtpReply.parse("250 2.0.0 Ok: queued"));
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static PoolMember member(HeldServer s, int priority) {
    return new PoolMember(s.name, priority, 2, 50, s, Optional.empty(), Optional.empty());
  }

  private static SmtpPool pool(PoolMember... members) {
    return new SmtpPool(
        List.of(members), SmtpPool.circuit(50f, 2, Duration.ofSeconds(30)), Duration.ofSeconds(1));
  }

  @Test
  void aRemovedServerFinishesItsTransactionThenClosesAndNewMailGoesToTheOthers() throws Exception {
    HeldServer primary = new HeldServer("primary");
    HeldServer backup = new HeldServer("backup");
    SmtpPool pool = pool(member(primary, 1), member(backup, 2));
    primary.holdNext();
    Future<Receipt> inFlight =
        senders.submit(() -> pool.submit(TestMails.mail("<1@t>", "one", "a@plant.example")));
    assertThat(primary.entered.await(5, TimeUnit.SECONDS)).isTrue();

    pool.replace(Set.of("primary"), List.of());

    assertThat(primary.closed).as("closed while a transaction runs on it").isFalse();
    Receipt next = pool.submit(TestMails.mail("<2@t>", "two", "a@plant.example"));
    assertThat(next.server()).isEqualTo("backup");
    primary.release.countDown();
    assertThat(inFlight.get(5, TimeUnit.SECONDS).server()).isEqualTo("primary");
    await().atMost(Duration.ofSeconds(5)).untilTrue(primary.closed);
    assertThat(primary.accepted).hasValue(1);
    assertThat(pool.status()).extracting(ServerStatus::name).containsExactly("backup");
  }

  @Test
  void anIdleRemovedServerClosesOffTheReloadsThreadAndAnAddedOneTakesTheNextMail()
      throws Exception {
    HeldServer old = new HeldServer("old");
    HeldServer added = new HeldServer("new");
    SmtpPool pool = pool(member(old, 1));

    pool.replace(Set.of("old"), List.of(member(added, 1)));

    // On a thread of its own: a hung server's QUIT must not hold up the reload.
    await().atMost(Duration.ofSeconds(5)).untilTrue(old.closed);
    assertThat(pool.submit(TestMails.mail("<3@t>", "three", "a@plant.example")).server())
        .isEqualTo("new");
    pool.close();
    assertThat(added.closed).isTrue();
  }

  @Test
  void aChangedServerIsReplacedUnderItsOwnName() throws Exception {
    HeldServer before = new HeldServer("relay");
    HeldServer after = new HeldServer("relay");
    SmtpPool pool = pool(member(before, 1));

    pool.replace(Set.of("relay"), List.of(member(after, 1)));
    pool.submit(TestMails.mail("<4@t>", "four", "a@plant.example"));

    await().atMost(Duration.ofSeconds(5)).untilTrue(before.closed);
    assertThat(before.accepted).hasValue(0);
    assertThat(after.accepted).hasValue(1);
  }
}

package io.alertbridge.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.RetrySettings;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpReply;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.alertbridge.smtp.TestMails;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry policy, with a submitter that answers from a script instead of a network. */
class SubmissionRetrierTest {
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final RetrySettings fast =
      new RetrySettings(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(5));

  @AfterEach
  void stop() {
    workers.shutdownNow();
    scheduler.shutdownNow();
  }

  /** Replays replies in order: a code below 300 is accepted, anything else is thrown. */
  static final class ScriptedServer implements MailSubmitter {
    final Deque<Integer> codes = new ArrayDeque<>();
    final AtomicInteger calls = new AtomicInteger();

    ScriptedServer(Integer... codes) {
      this.codes.addAll(java.util.List.of(codes));
    }

    @Override
    public Receipt submit(OutgoingMail mail) throws SmtpSubmissionException {
      calls.incrementAndGet();
      int code = codes.isEmpty() ? 250 : codes.poll();
      if (code == 0) {
        throw new SmtpSubmissionException(
            "sink:25", Optional.empty(), false, "connection refused", null);
      }
      SmtpReply reply = SmtpReply.parse(code + " scripted");
      if (code < 300) {
        return Receipt.of(
            mail.messageId(), "sink:25", SmtpReply.parse("250 2.0.0 Ok: queued as ABC123"));
      }
      throw new SmtpSubmissionException(
          "sink:25", Optional.of(reply), code >= 500, reply.toString(), null);
    }

    @Override
    public void close() {}
  }

  private SubmissionResult submit(ScriptedServer server, Cancellation c) throws Exception {
    return new SubmissionRetrier(server, workers, new Timer(scheduler), fast)
        .submit(TestMails.mail("<m@test>", "x", "a@plant.example"), c)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void retriesTransientFailuresUntilAccepted() throws Exception {
    ScriptedServer server = new ScriptedServer(451, 0, 250);
    SubmissionResult r = submit(server, new Cancellation());
    assertThat(r.receipt()).isPresent();
    assertThat(r.receipt().get().queueId()).contains("ABC123");
    assertThat(r.attempts()).isEqualTo(3);
  }

  @Test
  void neverRetriesAPermanentRefusal() throws Exception {
    ScriptedServer server = new ScriptedServer(451, 550, 250);
    SubmissionResult r = submit(server, new Cancellation());
    assertThat(r.receipt()).isEmpty();
    assertThat(r.rejection().orElseThrow().reply().orElseThrow().code()).isEqualTo(550);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(server.calls).hasValue(2);
  }

  @Test
  void keepsRetryingInNewRoundsSoNothingIsSkipped() throws Exception {
    ScriptedServer server = new ScriptedServer(421, 421, 421, 421, 421, 421, 421, 250);
    SubmissionResult r = submit(server, new Cancellation());
    assertThat(r.receipt()).isPresent();
    assertThat(r.attempts()).isEqualTo(8);
  }

  @Test
  void cancellationAbandonsTheMailInsteadOfReportingAnOutcome() {
    ScriptedServer server = new ScriptedServer(451, 451, 451, 451, 451, 451, 451, 451, 451);
    Cancellation c = new Cancellation();
    c.cancel();
    assertThatThrownBy(() -> submit(server, c))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(Cancellation.AbandonedException.class);
    assertThat(server.calls).hasValue(0);
  }

  @Test
  void cancellingDuringALongBackoffEndsTheSubmissionAtOnce() throws Exception {
    ScriptedServer server = new ScriptedServer(451, 451, 451);
    RetrySettings slow = new RetrySettings(3, Duration.ofHours(1), 2.0, Duration.ofHours(2));
    Cancellation c = new Cancellation();
    CompletableFuture<SubmissionResult> result =
        new SubmissionRetrier(server, workers, new Timer(scheduler), slow)
            .submit(TestMails.mail("<m@test>", "x", "a@plant.example"), c)
            .toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.calls.get() == 1);
    long start = System.nanoTime();
    c.cancel();
    assertThatThrownBy(() -> result.get(1, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Cancellation.AbandonedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    assertThat(server.calls).hasValue(1);
  }

  @Test
  void moreRecipientsThanAServerTakesGoInSeveralTransactionsOfTheSameMessage() throws Exception {
    List<List<String>> transactions = new java.util.concurrent.CopyOnWriteArrayList<>();
    MailSubmitter twoAtATime =
        new MailSubmitter() {
          @Override
          public Receipt submit(OutgoingMail mail) {
            transactions.add(mail.recipients().stream().map(a -> a.getAddress()).toList());
            return Receipt.of(
                mail.messageId(), "sink:25", SmtpReply.parse("250 2.0.0 Ok: queued as Q"));
          }

          @Override
          public int maxRecipientsPerMessage() {
            return 2;
          }

          @Override
          public void close() {}
        };
    SubmissionResult r =
        new SubmissionRetrier(twoAtATime, workers, new Timer(scheduler), fast)
            .submit(
                TestMails.mail(
                    "<m@test>",
                    "x",
                    "a@p.example",
                    "b@p.example",
                    "c@p.example",
                    "d@p.example",
                    "e@p.example"),
                new Cancellation())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(transactions)
        .containsExactly(
            List.of("a@p.example", "b@p.example"),
            List.of("c@p.example", "d@p.example"),
            List.of("e@p.example"));
    assertThat(r.receipts()).hasSize(3).allMatch(x -> x.messageId().equals("<m@test>"));
    assertThat(r.rejection()).isEmpty();
  }
}

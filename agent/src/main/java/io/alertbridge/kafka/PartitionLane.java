package io.alertbridge.kafka;

import io.alertbridge.delivery.Cancellation;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.RecordProcessor;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * Delivers one partition's records one after another, in offset order, so a "resolved" alert never
 * overtakes its "firing". Records are chained on worker threads; the consumer thread only submits
 * and reads the committable offset.
 *
 * <p>The processor settles every exception of a record itself (retries, then dead-letters), so a
 * record's stage fails only when it was abandoned (its offset stays uncommitted and is read again
 * by whoever owns the partition next) or with an {@link Error} or a bug outside any record. Those
 * stop the lane and go to the {@link FatalErrorHandler}: the daemon stops rather than loop.
 */
final class PartitionLane {

  private final TopicPartition partition;
  private final RecordProcessor processor;
  private final Executor workers;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Cancellation cancellation = new Cancellation();
  private final FatalErrorHandler fatal;
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private final java.util.concurrent.atomic.AtomicLong queuedBytes =
      new java.util.concurrent.atomic.AtomicLong();

  boolean paused;
  long lastCommitted = -1;

  /** The consumer's position when the lane was first asked to commit; -1 until then. */
  long startPosition = -1;

  PartitionLane(
      TopicPartition partition,
      RecordProcessor processor,
      Executor workers,
      FatalErrorHandler fatal) {
    this.partition = partition;
    this.processor = processor;
    this.workers = workers;
    this.fatal = fatal;
  }

  void submit(InboundRecord r) {
    tracker.started(r.offset());
    long size = r.sizeInBytes();
    queuedBytes.addAndGet(size);
    try {
      // Settled, failed or abandoned: the record no longer holds its bytes here.
      tail =
          tail.thenComposeAsync(ignored -> run(r), workers)
              .whenComplete((v, e) -> queuedBytes.addAndGet(-size));
    } catch (RejectedExecutionException e) {
      queuedBytes.addAndGet(-size);
      // Workers are shutting down; the record stays uncommitted and is read again.
      cancellation.cancel();
    }
  }

  private CompletableFuture<Void> run(InboundRecord r) {
    if (cancellation.isCancelled()) {
      return CompletableFuture.failedFuture(new Cancellation.AbandonedException(r.position()));
    }
    CompletableFuture<Void> stage;
    try {
      stage = processor.process(r, cancellation).toCompletableFuture();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.whenComplete(
        (v, error) -> {
          if (error == null) {
            tracker.done(r.offset());
          } else if (!(cause(error) instanceof Cancellation.AbandonedException)) {
            cancellation.cancel();
            fatal.fatal("delivering " + r.position() + " failed outside any retry", cause(error));
          }
        });
  }

  private static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  TopicPartition partition() {
    return partition;
  }

  OptionalLong committable() {
    return tracker.committable();
  }

  int inFlight() {
    return tracker.inFlight();
  }

  /** Bytes of the records submitted and not yet settled. */
  long queuedBytes() {
    return queuedBytes.get();
  }

  void cancel() {
    cancellation.cancel();
  }

  /** Waits until the record being delivered (if any) has finished or been abandoned. */
  boolean awaitSettled(Duration timeout) {
    try {
      tail.handle((v, e) -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("handle() never completes exceptionally", e);
    }
  }
}

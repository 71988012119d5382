package io.alertbridge.kafka;

import io.alertbridge.delivery.Cancellation;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.RecordProcessor;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one partition's records one after another, in offset order, so a "resolved" alert never
 * overtakes its "firing". Records are chained on worker threads; the consumer thread only submits
 * and reads the committable offset.
 */
final class PartitionLane {
  private static final Logger log = LoggerFactory.getLogger(PartitionLane.class);

  private final TopicPartition partition;
  private final RecordProcessor processor;
  private final Executor workers;
  private final OffsetTracker tracker = new OffsetTracker();
  private final Cancellation cancellation = new Cancellation();
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private volatile long failedOffset = -1;
  private volatile long failedAtNanos;

  boolean paused;
  long lastCommitted = -1;

  PartitionLane(TopicPartition partition, RecordProcessor processor, Executor workers) {
    this.partition = partition;
    this.processor = processor;
    this.workers = workers;
  }

  void submit(InboundRecord r) {
    tracker.started(r.offset());
    tail = tail.thenComposeAsync(ignored -> run(r), workers);
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
            // A bug, not a delivery outcome: stop this lane; the consumer re-reads from here.
            log.error(
                "unexpected failure delivering {}; it will be read again", r.position(), error);
            failedAtNanos = System.nanoTime();
            failedOffset = r.offset();
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

  /**
   * The offset whose delivery failed unexpectedly at least {@code after} ago, or -1. The wait keeps
   * a bug that fails every time from spinning the consumer.
   */
  long failedOffset(Duration after) {
    long f = failedOffset;
    return f >= 0 && System.nanoTime() - failedAtNanos >= after.toNanos() ? f : -1;
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

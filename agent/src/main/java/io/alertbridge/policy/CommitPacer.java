package io.alertbridge.policy;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Asks Kafka Streams to commit soon after a step forwarded a mail, instead of at the next {@code
 * policy.commit-interval}: the next step, and delivery, read it only once the transaction commits
 * (issue 16: p99 produce → 250 within 100 ms through the policy). At most one request per {@link
 * #MIN_GAP}: a request per mail would make every record its own transaction when each event is
 * mailed at once ({@code group-wait: 0s}), and Kafka Streams shortens its batches after each
 * commit. A mail forwarded within the gap is committed by the punctuation that ends it.
 */
final class CommitPacer {
  static final Duration MIN_GAP = Duration.ofMillis(100);

  private final ProcessorContext<?, ?> context;
  private long lastRequest = System.nanoTime() - MIN_GAP.toNanos();
  private boolean waiting;

  CommitPacer(ProcessorContext<?, ?> context) {
    this.context = context;
    context.schedule(MIN_GAP, PunctuationType.WALL_CLOCK_TIME, t -> tick());
  }

  /** A mail was forwarded. */
  void forwarded() {
    long now = System.nanoTime();
    if (now - lastRequest >= MIN_GAP.toNanos()) {
      request(now);
    } else {
      waiting = true;
    }
  }

  private void tick() {
    if (waiting) {
      request(System.nanoTime());
    }
  }

  private void request(long now) {
    context.commit();
    lastRequest = now;
    waiting = false;
  }
}

package io.alertbridge.policy;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams' exception handlers do with a record they are told about: Kafka Streams 4.1
 * lets them answer only CONTINUE (drop the record), FAIL (kill the thread) or RETRY, and gives them
 * no way to add records to the transaction. So they dead-letter the record with a producer of their
 * own, synchronously, with its audit line on the notification topic, and answer CONTINUE only once
 * both were written; a write that fails answers FAIL, so the record is not lost but read again (and
 * the crash guard ends a loop).
 *
 * <p>These writes are outside the stage's transaction: if it aborts afterwards, the record is
 * processed again, and may be dead-lettered (and audited) a second time. That is the price of a
 * last line of defence; the processors settle their records inside the transaction first.
 */
final class StreamFailures {
  private static final Logger log = LoggerFactory.getLogger(StreamFailures.class);

  /** The key under which the handlers find this in their configuration. */
  static final String CONFIG_KEY = "alertbridge.policy.stream-failures";

  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final PolicyTopology.Wiring w;
  private final Producer<byte[], byte[]> producer;
  private final AtomicLong handled = new AtomicLong();
  private volatile Consumer<Boolean> writes = written -> {};

  StreamFailures(PolicyTopology.Wiring wiring, Producer<byte[], byte[]> producer) {
    this.w = wiring;
    this.producer = producer;
  }

  /** Tells {@code listener} whether each dead-letter write succeeded (metrics). */
  void onWrite(Consumer<Boolean> listener) {
    this.writes = listener;
  }

  /** How many records the handlers dead-lettered or let pass since start. */
  long handled() {
    return handled.get();
  }

  /** Static lookup from the configuration Kafka Streams hands the handler. */
  static StreamFailures from(Map<String, ?> configs) {
    Object f = configs.get(CONFIG_KEY);
    if (!(f instanceof StreamFailures failures)) {
      throw new IllegalStateException(CONFIG_KEY + " is not set: the policy stage wires it");
    }
    return failures;
  }

  /**
   * Dead-letters the input record {@code ctx} names, or {@code failed} when there is none (a
   * punctuation's output); true when both the copy and its audit line were written.
   */
  boolean deadLetter(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> failed, String why) {
    handled.incrementAndGet();
    Instant now = w.clock().instant();
    InboundRecord in = source(ctx, failed);
    DeadLetter dl = new DeadLetter(AuditStatus.DEAD_LETTERED, why);
    try {
      write(StageRecords.copy(w.deadLetterTopic(), in, dl, now));
      writes.accept(true);
      write(
          StageRecords.audit(w.notificationsTopic(), PolicyAudit.deadLettered(now, in, null, dl)));
      log.error("dead-lettered {}: {}", in.position(), why);
      return true;
    } catch (RuntimeException e) {
      writes.accept(false);
      log.error("cannot dead-letter {} ({}): {}", in.position(), why, e.toString());
      return false;
    }
  }

  /** Counts a failure that has no record to dead-letter (a punctuation). */
  void noRecord(String why, Exception e) {
    handled.incrementAndGet();
    log.error("policy stage: {}", why, e);
  }

  private static InboundRecord source(ErrorHandlerContext ctx, ProducerRecord<byte[], byte[]> f) {
    if (ctx != null && ctx.topic() != null) {
      List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
      if (ctx.headers() != null) {
        for (Header h : ctx.headers()) {
          headers.add(new AbstractMap.SimpleImmutableEntry<>(h.key(), h.value()));
        }
      }
      return new InboundRecord(
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          ctx.sourceRawKey(),
          ctx.sourceRawValue(),
          headers,
          ctx.timestamp());
    }
    // No input record (a punctuation's mail): the record that could not be written, as it was.
    return new InboundRecord(
        f.topic(),
        -1,
        -1,
        f.key(),
        f.value(),
        List.of(),
        f.timestamp() == null ? 0 : f.timestamp());
  }

  private void write(ProducerRecord<byte[], byte[]> r) {
    try {
      producer.send(r).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing to " + r.topic(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + r.topic() + ": " + e.getCause(), e);
    }
  }
}

package io.alertbridge.kafka;

import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.DeadLetterSink;
import io.alertbridge.delivery.DeadLetterWriteException;
import io.alertbridge.delivery.InboundRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a record to the dead-letter topic: same key, same value, its original headers, plus {@code
 * alertbridge.*} headers saying where it came from and why it is here.
 *
 * <p>{@code producer.send} can block for {@code max.block.ms} (metadata of a missing topic, a full
 * buffer), so sends run on a thread of their own, never on a delivery worker or the retry timer.
 * Failures are told apart: a copy the broker refuses as too large is sent again truncated (the full
 * value stays in the source topic at the offset the headers name); authorization, authentication,
 * an invalid topic and other non-retriable errors are permanent; the rest is transient.
 */
public final class KafkaDeadLetterSink implements DeadLetterSink {
  private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterSink.class);

  public static final String HEADER_TOPIC = "alertbridge.original.topic";
  public static final String HEADER_PARTITION = "alertbridge.original.partition";
  public static final String HEADER_OFFSET = "alertbridge.original.offset";
  public static final String HEADER_STATUS = "alertbridge.error.status";
  public static final String HEADER_REASON = "alertbridge.error.reason";
  public static final String HEADER_EXCEPTION = "alertbridge.error.exception";
  public static final String HEADER_TIME = "alertbridge.error.time";
  public static final String HEADER_TRUNCATED = "alertbridge.truncated";
  public static final String HEADER_ORIGINAL_SIZE = "alertbridge.original.size";

  /** What a truncated copy keeps of the value: enough to see what the record was. */
  static final int TRUNCATED_VALUE_BYTES = 16 * 1024;

  private volatile java.util.function.Consumer<Boolean> writes = written -> {};
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "alertbridge-dead-letter");
            t.setDaemon(true);
            return t;
          });

  public KafkaDeadLetterSink(Producer<byte[], byte[]> producer, String topic, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> publish(InboundRecord r, DeadLetter dl) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    onSender(r, dl, false, acked);
    return acked.whenComplete((v, error) -> writes.accept(error == null));
  }

  /** Tells {@code listener} whether each write succeeded (metrics). */
  public void onWrite(java.util.function.Consumer<Boolean> listener) {
    this.writes = listener;
  }

  /** Sends on the dead-letter thread: {@code producer.send} may block for max.block.ms. */
  private void onSender(
      InboundRecord r, DeadLetter dl, boolean truncated, CompletableFuture<Void> acked) {
    try {
      sender.execute(() -> send(r, dl, truncated, acked));
    } catch (RejectedExecutionException e) {
      acked.completeExceptionally(
          new DeadLetterWriteException(false, "the dead-letter producer is closed", e));
    }
  }

  private void send(
      InboundRecord r, DeadLetter dl, boolean truncated, CompletableFuture<Void> acked) {
    try {
      producer.send(
          copy(r, dl, truncated),
          (metadata, error) -> {
            if (error == null) {
              acked.complete(null);
            } else if (error instanceof RecordTooLargeException && !truncated) {
              log.warn(
                  "dead-letter copy of {} is too large for the topic ({}); sending it truncated",
                  r.position(),
                  error.getMessage());
              onSender(r, dl, true, acked);
            } else {
              acked.completeExceptionally(classify(error));
            }
          });
    } catch (RecordTooLargeException e) {
      // The producer's own max.request.size refused it before it reached the broker.
      if (truncated) {
        acked.completeExceptionally(classify(e));
      } else {
        log.warn(
            "dead-letter copy of {} is too large ({}); sending it truncated",
            r.position(),
            e.getMessage());
        send(r, dl, true, acked);
      }
    } catch (RuntimeException e) {
      acked.completeExceptionally(classify(e));
    }
  }

  static DeadLetterWriteException classify(Throwable e) {
    boolean permanent =
        e instanceof AuthorizationException
            || e instanceof AuthenticationException
            || e instanceof InvalidTopicException
            || e instanceof RecordTooLargeException
            || e instanceof UnsupportedVersionException
            || (e instanceof KafkaException
                && !(e instanceof RetriableException)
                && !(e instanceof org.apache.kafka.common.errors.TimeoutException)
                && !(e instanceof org.apache.kafka.common.errors.InterruptException));
    return new DeadLetterWriteException(permanent, e.toString(), e);
  }

  /**
   * The dead-letter record. A truncated copy keeps the first {@link #TRUNCATED_VALUE_BYTES} of the
   * value and none of the original headers (they may be what made it too large), and says so.
   */
  ProducerRecord<byte[], byte[]> copy(InboundRecord r, DeadLetter dl, boolean truncated) {
    return copy(topic, r, dl, truncated, clock.instant());
  }

  /** The dead-letter record for {@code topic}, for writers with a producer of their own. */
  public static ProducerRecord<byte[], byte[]> copy(
      String topic, InboundRecord r, DeadLetter dl, boolean truncated, Instant now) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = r.value();
    if (truncated) {
      headers.add(HEADER_TRUNCATED, utf8("true"));
      headers.add(HEADER_ORIGINAL_SIZE, utf8(Integer.toString(value == null ? 0 : value.length)));
      if (value != null && value.length > TRUNCATED_VALUE_BYTES) {
        value = Arrays.copyOf(value, TRUNCATED_VALUE_BYTES);
      }
    } else {
      for (Map.Entry<String, byte[]> h : r.headers()) {
        headers.add(h.getKey(), h.getValue());
      }
    }
    headers.add(HEADER_TOPIC, utf8(r.topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(r.partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(r.offset())));
    headers.add(HEADER_STATUS, utf8(dl.status().wireName()));
    headers.add(HEADER_REASON, utf8(dl.reason()));
    dl.exception().ifPresent(x -> headers.add(HEADER_EXCEPTION, utf8(x)));
    headers.add(HEADER_TIME, utf8(now.toString()));
    byte[] key = r.key();
    if (truncated && key != null && key.length > TRUNCATED_VALUE_BYTES) {
      key = Arrays.copyOf(key, TRUNCATED_VALUE_BYTES);
    }
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    sender.shutdownNow();
    producer.close(Duration.ofSeconds(10));
  }
}

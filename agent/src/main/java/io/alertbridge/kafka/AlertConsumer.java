package io.alertbridge.kafka;

import io.alertbridge.config.DeliverySettings;
import io.alertbridge.config.KafkaSettings;
import io.alertbridge.delivery.FatalErrorHandler;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.RecordProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread. It only polls, hands records to per-partition {@link PartitionLane}s, pauses
 * partitions whose lane is full (so poll keeps running and the group never exceeds {@code
 * max.poll.interval.ms} while SMTP is slow), resumes them, and commits offsets below which every
 * record is done.
 */
public final class AlertConsumer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);
  static final Duration COMMIT_WARNING_INTERVAL = Duration.ofSeconds(30);

  private final KafkaSettings kafka;
  private final DeliverySettings delivery;
  private final RecordProcessor processor;
  private final Executor workers;
  private final FatalErrorHandler fatal;
  private final Consumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, PartitionLane> lanes = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile List<String> alsoConsume = List.of();
  private volatile boolean stopping;
  private long failedCommits;
  private long lastCommitWarning;
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile ConsumerStatus status = ConsumerStatus.STARTING;
  private volatile boolean joined;
  private long lastStatus;

  /**
   * @param consumer made from {@link KafkaClients#consumer(KafkaSettings)}; this class owns and
   *     closes it
   */
  public AlertConsumer(
      KafkaSettings kafka,
      DeliverySettings delivery,
      RecordProcessor processor,
      Executor workers,
      FatalErrorHandler fatal,
      Consumer<byte[], byte[]> consumer) {
    this.kafka = kafka;
    this.delivery = delivery;
    this.processor = processor;
    this.workers = workers;
    this.fatal = fatal;
    this.consumer = consumer;
  }

  @Override
  public void run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the consumer runs once");
    }
    try {
      List<String> topics = new ArrayList<>(kafka.topics());
      topics.addAll(alsoConsume);
      consumer.subscribe(topics, new Rebalance());
      log.info(
          "consuming {} as group {} from {}", topics, kafka.groupId(), kafka.bootstrapServers());
      while (!stopping) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        throw e;
      }
    } finally {
      joined = false;
      closeGracefully();
      stopped.countDown();
    }
  }

  private void pollOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(kafka.pollTimeout());
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
      lanes.computeIfAbsent(tp, this::newLane).submit(inbound(rec));
    }
    applyBackpressure();
    commitAsync();
    publishStatus();
  }

  /** At most once a second: the lag needs no more precision, and it costs a look at each lane. */
  private void publishStatus() {
    long now = System.nanoTime();
    if (now - lastStatus < 1_000_000_000L && status != ConsumerStatus.STARTING) {
      return;
    }
    lastStatus = now;
    List<ConsumerStatus.Partition> parts = new ArrayList<>();
    for (TopicPartition tp : consumer.assignment()) {
      PartitionLane lane = lanes.get(tp);
      parts.add(
          new ConsumerStatus.Partition(
              tp.topic(),
              tp.partition(),
              consumer.currentLag(tp).orElse(-1),
              lane == null ? 0 : lane.inFlight(),
              lane != null && lane.paused));
    }
    status = new ConsumerStatus(joined, parts);
  }

  /**
   * Topics to read besides {@code kafka.topics}, with the same processor (which tells their records
   * apart by topic); before {@link #run()}.
   */
  public void alsoConsume(List<String> topics) {
    if (started.get()) {
      throw new IllegalStateException("the consumer is running already");
    }
    alsoConsume = List.copyOf(topics);
  }

  /** As of the last poll; safe from any thread. */
  public ConsumerStatus status() {
    return status;
  }

  private PartitionLane newLane(TopicPartition tp) {
    return new PartitionLane(tp, processor, workers, fatal);
  }

  static InboundRecord inbound(ConsumerRecord<byte[], byte[]> rec) {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    for (Header h : rec.headers()) {
      headers.add(Map.entry(h.key(), h.value() == null ? new byte[0] : h.value()));
    }
    return new InboundRecord(
        rec.topic(),
        rec.partition(),
        rec.offset(),
        rec.key(),
        rec.value(),
        headers,
        rec.timestamp());
  }

  private void applyBackpressure() {
    int high = delivery.maxQueuedPerPartition();
    long highBytes = delivery.maxQueuedBytesPerPartition().bytes();
    for (PartitionLane lane : lanes.values()) {
      int n = lane.inFlight();
      long bytes = lane.queuedBytes();
      if (!lane.paused && (n >= high || bytes >= highBytes)) {
        consumer.pause(List.of(lane.partition()));
        lane.paused = true;
        log.info(
            "paused {}: {} records ({} bytes) waiting for delivery", lane.partition(), n, bytes);
      } else if (lane.paused && n <= high / 2 && bytes <= highBytes / 2) {
        consumer.resume(List.of(lane.partition()));
        lane.paused = false;
        log.info("resumed {}", lane.partition());
      }
    }
  }

  /**
   * While the broker is away every poll's commit fails; one line when that starts and one a {@link
   * #COMMIT_WARNING_INTERVAL} after, not one per poll. Runs on the consumer thread (commit
   * callbacks complete inside poll).
   */
  private void commitFailed(Exception error) {
    long now = System.nanoTime();
    if (failedCommits++ == 0 || now - lastCommitWarning >= COMMIT_WARNING_INTERVAL.toNanos()) {
      lastCommitWarning = now;
      log.warn(
          "offset commit failed ({} in a row), will retry with the next one: {}",
          failedCommits,
          error.toString());
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committable(Collection<PartitionLane> of) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (PartitionLane lane : of) {
      OptionalLong next = committable(lane);
      if (next.isPresent() && next.getAsLong() > lane.lastCommitted) {
        offsets.put(lane.partition(), new OffsetAndMetadata(next.getAsLong()));
      }
    }
    return offsets;
  }

  /**
   * The lane's committable offset, or the consumer's position when that is further and nothing is
   * in flight. On a transactional topic (the policy's notifications, written exactly-once) the last
   * record is followed by a commit marker: committing the last offset + 1 left the group's lag at 1
   * per partition for ever. The position is past the markers, and with nothing in flight every
   * record below it is done (records are submitted on this thread before it commits). That holds
   * for a lane that has seen no record since it was assigned too: a partition whose tail past the
   * group's offset is only markers or aborted batches (a policy stage that crashed mid-transaction)
   * would otherwise read a lag of 1 or more until its next record.
   */
  private OptionalLong committable(PartitionLane lane) {
    OptionalLong next = lane.committable();
    if (lane.inFlight() > 0) {
      return next;
    }
    try {
      long position = consumer.position(lane.partition(), Duration.ZERO);
      if (next.isPresent()) {
        return OptionalLong.of(Math.max(next.getAsLong(), position));
      }
      // No record yet: the position the lane started at is where the group already stands (or
      // its reset point); only a position past it, moved by markers alone, is worth a commit.
      if (lane.startPosition < 0) {
        lane.startPosition = position;
        return next;
      }
      return position > lane.startPosition ? OptionalLong.of(position) : next;
    } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
      // No position without a round trip (or the partition just went): the lane's offset is safe.
      return next;
    }
  }

  private void commitAsync() {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(lanes.values());
    if (offsets.isEmpty()) {
      return;
    }
    consumer.commitAsync(
        offsets,
        (committed, error) -> {
          if (error != null) {
            commitFailed(error);
            return;
          }
          if (failedCommits > 0) {
            log.info("offset commits succeed again after {} failures", failedCommits);
            failedCommits = 0;
          }
          committed.forEach(
              (tp, o) -> {
                PartitionLane lane = lanes.get(tp);
                if (lane != null) {
                  lane.lastCommitted = Math.max(lane.lastCommitted, o.offset());
                }
              });
        });
  }

  private void commitSync(Collection<PartitionLane> of) {
    Map<TopicPartition, OffsetAndMetadata> offsets = committable(of);
    if (offsets.isEmpty()) {
      return;
    }
    try {
      try {
        consumer.commitSync(offsets);
      } catch (WakeupException e) {
        // stop() may have woken the consumer after the last poll; the wakeup is spent now.
        consumer.commitSync(offsets);
      }
      of.forEach(
          l -> {
            if (offsets.containsKey(l.partition())) {
              l.lastCommitted = offsets.get(l.partition()).offset();
            }
          });
      log.debug("committed {}", offsets);
    } catch (KafkaException e) {
      log.warn("offset commit failed; those records will be delivered again: {}", e.toString());
    }
  }

  /** Stops polling, lets in-flight mail finish (up to the shutdown timeout) and commits it. */
  private void closeGracefully() {
    Collection<PartitionLane> all = List.copyOf(lanes.values());
    all.forEach(PartitionLane::cancel);
    settle(all);
    commitSync(all);
    lanes.clear();
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
    log.info("consumer closed");
  }

  private void settle(Collection<PartitionLane> of) {
    long deadline = System.nanoTime() + delivery.shutdownTimeout().toNanos();
    for (PartitionLane lane : of) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!lane.awaitSettled(left)) {
        log.warn(
            "{}: delivery still in flight after {}; abandoning it uncommitted",
            lane.partition(),
            delivery.shutdownTimeout());
      }
    }
  }

  /** Closes the Kafka consumer when {@link #run()} never ran (it closes it itself otherwise). */
  public void closeIfNeverRun() {
    if (started.compareAndSet(false, true)) {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
      stopped.countDown();
    }
  }

  /** Asks the loop to stop; safe from any thread, e.g. a shutdown hook. */
  public void stop() {
    stopping = true;
    if (stopped.getCount() > 0) {
      // After run() returned the consumer is closed, and waking a closed consumer throws.
      consumer.wakeup();
    }
  }

  /** Waits until {@link #run()} has committed, closed the consumer and returned. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      List<PartitionLane> revoked = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        PartitionLane lane = lanes.remove(tp);
        if (lane != null) {
          lane.cancel();
          revoked.add(lane);
        }
      }
      settle(revoked);
      commitSync(revoked);
      log.info("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(tp -> lanes.computeIfAbsent(tp, AlertConsumer.this::newLane));
      joined = true;
      log.info("partitions assigned: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may own them already: committing now could overwrite its progress.
      partitions.forEach(
          tp -> {
            PartitionLane lane = lanes.remove(tp);
            if (lane != null) {
              lane.cancel();
            }
          });
      joined = false;
      log.warn("partitions lost: {}", partitions);
    }
  }
}

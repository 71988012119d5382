package io.alertbridge.policy;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import java.time.Instant;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles every record of a step, whatever the step throws: a {@link RuntimeException} of one
 * record dead-letters that record and audits it once, inside the step's transaction, and the step
 * goes on with the next (review C1). A record the stage already died on {@link CrashGuard#DEATHS}
 * times in a row is dead-lettered without being processed again.
 *
 * <p>Only what is not the record's fault gets past it: an {@link Error} (the crash guard's case),
 * and Kafka's own exceptions (a fenced producer, a migrated task, an unusable store), which Kafka
 * Streams handles as it should, or hands to {@link DeadLetterProcessingHandler}.
 */
final class SettledProcessor<K, KOut, VOut> implements Processor<K, byte[], KOut, VOut> {
  private static final Logger log = LoggerFactory.getLogger(SettledProcessor.class);

  /** What a step's input record is, for its dead-letter copy and its audit line. */
  @FunctionalInterface
  interface Origin<K> {
    /**
     * @param at where the step read it
     */
    Described describe(RecordMetadata at, Record<K, byte[]> record);
  }

  /**
   * @param record the copy's content, with the alert's topic, partition and offset
   * @param eventId the event's id, when known
   */
  record Described(InboundRecord record, String eventId) {}

  private final Processor<K, byte[], KOut, VOut> step;
  private final Origin<K> origin;
  private final CrashGuard guard;
  private final PolicyTopology.Wiring w;
  private ProcessorContext<Object, Object> out;
  private PolicyAuditor auditor;

  SettledProcessor(
      Processor<K, byte[], KOut, VOut> step,
      Origin<K> origin,
      CrashGuard guard,
      PolicyTopology.Wiring wiring) {
    this.step = step;
    this.origin = origin;
    this.guard = guard;
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<KOut, VOut> context) {
    this.out = PolicyAuditor.untyped(context);
    this.auditor = PolicyAuditor.forwarding(context);
    step.init(context);
  }

  @Override
  public void process(Record<K, byte[]> record) {
    RecordMetadata m = out.recordMetadata().orElseThrow();
    CrashGuard.Position at = new CrashGuard.Position(m.topic(), m.partition(), m.offset());
    var died = guard.diedOn(at);
    if (died.isPresent()) {
      String reason =
          "the policy stage died on this record "
              + died.get().deaths()
              + " times in a row; it is not processed again";
      log.error("{}: {}", at, reason);
      settle(m, record, new DeadLetter(AuditStatus.DEAD_LETTERED, reason));
      return;
    }
    guard.working(at);
    try {
      step.process(record);
    } catch (KafkaException e) {
      // Kafka's own (a fenced producer, a migrated task, an unusable store): not this record's,
      // so no death may be counted against it.
      guard.done();
      throw e;
    } catch (RuntimeException e) {
      String reason = "the policy stage cannot process this record: " + e;
      log.error("{}: {}", at, reason, e);
      settle(m, record, DeadLetter.ofException(reason, e));
    }
    guard.done();
  }

  private void settle(RecordMetadata m, Record<K, byte[]> record, DeadLetter dl) {
    Described d = origin.describe(m, record);
    InboundRecord in = d.record();
    Instant now = w.clock().instant();
    auditor.append(PolicyAudit.deadLettered(now, in, d.eventId(), dl));
    out.forward(StageRecords.deadLetter(w.deadLetterTopic(), in, dl, now));
  }

  @Override
  public void close() {
    step.close();
  }
}

package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Where a step of the policy stage writes its audit lines. They go into the step's Kafka
 * transaction as records on the notification topic, and the delivery stage (reading committed
 * records only) appends them to the audit file: a transaction that aborts, or a crash loop that
 * replays a record, leaves no line behind and adds none (review M4d). The delivery stage appends a
 * line before it commits the record that carried it, so a {@code kill -9} between the two writes
 * that same line again when the record is redelivered: identical, never a different decision.
 */
@FunctionalInterface
interface PolicyAuditor {
  void append(AuditRecord r);

  /** Forwards each line to the step's {@link PolicyOutput}. */
  static PolicyAuditor forwarding(ProcessorContext<?, ?> context) {
    ProcessorContext<Object, Object> out = untyped(context);
    return r -> out.forward(StageRecords.audit(r));
  }

  /**
   * The context without its output types: a step forwards audit lines and dead letters besides its
   * own output, and {@link PolicyOutput} (its only child) takes any key and value.
   */
  @SuppressWarnings("unchecked")
  static ProcessorContext<Object, Object> untyped(ProcessorContext<?, ?> context) {
    return (ProcessorContext<Object, Object>) context;
  }
}

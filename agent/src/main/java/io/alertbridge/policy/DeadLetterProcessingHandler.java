package io.alertbridge.policy;

import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code processing.exception.handler} of the policy stage. The steps settle their records
 * themselves ({@link SettledProcessor}); what still reaches this handler failed while settling, or
 * in a punctuation. A record is dead-lettered and audited before the answer is CONTINUE; when that
 * write fails the answer is FAIL, so the record is read again rather than lost. A punctuation's
 * failure has no record: it is logged and counted, and the next tick runs.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private StreamFailures failures;

  @Override
  public void configure(Map<String, ?> configs) {
    failures = StreamFailures.from(configs);
  }

  @Override
  public ProcessingHandlerResponse handle(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    String why = "step " + context.processorNodeId() + " failed: " + exception;
    if (kafkasOwn(exception)) {
      // A send that failed, a store that broke, a task that moved: no record's fault, and
      // CONTINUE would commit a decision whose output was never written. FAIL aborts the
      // transaction; a fresh thread does it again from the last commit.
      return ProcessingHandlerResponse.FAIL;
    }
    if (context.topic() == null) {
      failures.noRecord(why, exception);
      return ProcessingHandlerResponse.CONTINUE;
    }
    return failures.deadLetter(context, null, why)
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }

  /**
   * Whether one of Kafka's own exceptions is in the chain. A plain {@link StreamsException} only
   * wraps: it counts when what it wraps is Kafka's too.
   */
  static boolean kafkasOwn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KafkaException && t.getClass() != StreamsException.class) {
        return true;
      }
    }
    return false;
  }
}

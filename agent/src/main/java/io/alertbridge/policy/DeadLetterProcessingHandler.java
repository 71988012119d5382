package io.alertbridge.policy;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
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
    if (context.topic() == null) {
      failures.noRecord(why, exception);
      return ProcessingHandlerResponse.CONTINUE;
    }
    return failures.deadLetter(context, null, why)
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }
}

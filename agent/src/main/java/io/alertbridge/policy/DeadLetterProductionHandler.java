package io.alertbridge.policy;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * {@code production.exception.handler} of the policy stage: a record the Streams producer refuses
 * (too large, not serialisable) dead-letters the input record that produced it, truncated when
 * large, and the stage goes on (CONTINUE) instead of dying on it (review C1a). A retriable error is
 * retried, as Kafka Streams' default does; a dead-letter write that fails answers FAIL, so nothing
 * is dropped unrecorded. Kafka Streams itself treats a fenced producer and authorisation errors as
 * fatal, without asking this handler.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private StreamFailures failures;

  @Override
  public void configure(Map<String, ?> configs) {
    failures = StreamFailures.from(configs);
  }

  @Override
  public ProductionExceptionHandlerResponse handle(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return ProductionExceptionHandlerResponse.RETRY;
    }
    return deadLetter(context, record, "cannot write to " + record.topic() + ": " + exception);
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandlerResponse handleSerializationException(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return deadLetter(
        context,
        new ProducerRecord<>(record.topic(), null, null, null),
        "cannot serialise the " + origin + " for " + record.topic() + ": " + exception);
  }

  private ProductionExceptionHandlerResponse deadLetter(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, String why) {
    return failures.deadLetter(context, record, why)
        ? ProductionExceptionHandlerResponse.CONTINUE
        : ProductionExceptionHandlerResponse.FAIL;
  }
}

package io.alertbridge.delivery;

import java.util.concurrent.CompletionStage;

/** Where records go that cannot become (accepted) mail. */
public interface DeadLetterSink extends AutoCloseable {
  /** Completes once the dead-letter copy is durably written (for Kafka: acknowledged). */
  CompletionStage<Void> publish(InboundRecord record, DeadLetter deadLetter);

  @Override
  void close();
}

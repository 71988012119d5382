package io.alertbridge.delivery;

import java.util.concurrent.CompletionStage;

/** Where records go that cannot become (accepted) mail. */
public interface DeadLetterSink extends AutoCloseable {
  /**
   * Completes once the dead-letter copy is durably written (for Kafka: acknowledged), or
   * exceptionally with a {@link DeadLetterWriteException} saying whether trying again can help.
   * Never blocks the calling thread.
   */
  CompletionStage<Void> publish(InboundRecord record, DeadLetter deadLetter);

  @Override
  void close();
}

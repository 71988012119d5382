package io.alertbridge.daemon;

import io.alertbridge.web.AckPage;
import java.time.Clock;
import java.util.Optional;

/**
 * How answers to mails come back (issue 18): the writer of {@code STATE-responses}, the acknowledge
 * link page it serves, and the inbound mailbox reader that feeds it. Only with the policy: nothing
 * else can act on a response.
 */
final class Answers implements AutoCloseable {
  private final KafkaResponseWriter writer;
  private final AckPage.Links links;
  private final InboundReader reader;

  private Answers(KafkaResponseWriter writer, AckPage.Links links, InboundReader reader) {
    this.writer = writer;
    this.links = links;
    this.reader = reader;
  }

  /** Empty when neither links nor a mailbox are configured. */
  static Optional<Answers> of(
      ResponseKeys keys,
      io.alertbridge.config.KafkaSettings kafka,
      String responsesTopic,
      Clock clock,
      InboundReader.Factory readers) {
    boolean links = keys.acks().links() != null;
    boolean inbound = keys.acks().tokens() != null;
    if (!links && !inbound) {
      return Optional.empty();
    }
    KafkaResponseWriter writer = new KafkaResponseWriter(kafka, responsesTopic);
    if (readers == null && links) {
      return Optional.of(
          new Answers(writer, new AckPage.Links(keys.acks().links(), writer, clock), null));
    }
    return Optional.of(
        new Answers(
            writer,
            links ? new AckPage.Links(keys.acks().links(), writer, clock) : null,
            readers == null ? null : readers.reader(writer)));
  }

  /** The link page's parts; null without {@code http.public-url}. */
  AckPage.Links links() {
    return links;
  }

  void start() {
    if (reader != null) {
      reader.start();
    }
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
    if (writer != null) {
      writer.close();
    }
  }
}

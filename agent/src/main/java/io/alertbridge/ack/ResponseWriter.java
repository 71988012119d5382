package io.alertbridge.ack;

/**
 * Writes a response to {@code STATE-responses}, to the partition its incident names, where the
 * policy task that owns the group reads it. Implemented over a Kafka producer by the daemon.
 */
@FunctionalInterface
public interface ResponseWriter {
  /**
   * Returns once the broker has the record (acks=all), so the caller may then move the mail to its
   * folder or answer the person.
   *
   * @throws Exception when it could not be written; the caller keeps the mail or says so
   */
  void write(IncidentRef ref, Response response) throws Exception;
}

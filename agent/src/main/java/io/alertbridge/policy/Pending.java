package io.alertbridge.policy;

/** An event waiting for a mail (or an audit line), and where it was read, for its audit line. */
record Pending(String eventId, String topic, int partition, long offset) {
  static Pending of(RoutedEvent e) {
    return new Pending(e.event().id(), e.topic(), e.partition(), e.offset());
  }
}

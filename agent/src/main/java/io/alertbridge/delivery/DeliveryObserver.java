package io.alertbridge.delivery;

import java.time.Instant;

/** Told when a server accepted a mail of a record, for the delivery-latency metric. */
@FunctionalInterface
public interface DeliveryObserver {
  DeliveryObserver NONE = (record, eventTime, acceptedAt) -> {};

  /**
   * @param eventTime the oldest carried event's own time, or null
   */
  void accepted(InboundRecord record, Instant eventTime, Instant acceptedAt);
}

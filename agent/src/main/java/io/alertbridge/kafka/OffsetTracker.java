package io.alertbridge.kafka;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Tracks which offsets of one partition are in flight. The committable offset is the lowest one
 * still in flight, or one past the highest seen when none is: Kafka's committed offset is the next
 * record to read, and every record below it must be done.
 */
final class OffsetTracker {
  private final TreeSet<Long> pending = new TreeSet<>();
  private long highestSeen = -1;

  synchronized void started(long offset) {
    pending.add(offset);
    highestSeen = Math.max(highestSeen, offset);
  }

  synchronized void done(long offset) {
    pending.remove(offset);
  }

  synchronized OptionalLong committable() {
    if (highestSeen < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(pending.isEmpty() ? highestSeen + 1 : pending.first());
  }

  synchronized int inFlight() {
    return pending.size();
  }
}

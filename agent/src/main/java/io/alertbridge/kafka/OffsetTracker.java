package io.alertbridge.kafka;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Tracks which offsets of one partition are in flight. The committable offset is the lowest one
 * still in flight, or one past the highest seen when none is: Kafka's committed offset is the next
 * record to read, and every record below it must be done. There is none until a record is done.
 */
final class OffsetTracker {
  private final TreeSet<Long> pending = new TreeSet<>();
  private long lowestSeen = Long.MAX_VALUE;
  private long highestSeen = -1;

  synchronized void started(long offset) {
    pending.add(offset);
    lowestSeen = Math.min(lowestSeen, offset);
    highestSeen = Math.max(highestSeen, offset);
  }

  synchronized void done(long offset) {
    pending.remove(offset);
  }

  synchronized OptionalLong committable() {
    if (highestSeen < 0) {
      return OptionalLong.empty();
    }
    long next = pending.isEmpty() ? highestSeen + 1 : pending.first();
    // Nothing done yet: committing the first offset we were given would say nothing new.
    return next > lowestSeen ? OptionalLong.of(next) : OptionalLong.empty();
  }

  synchronized int inFlight() {
    return pending.size();
  }
}

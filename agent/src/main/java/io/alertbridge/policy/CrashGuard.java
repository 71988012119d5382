package io.alertbridge.policy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second line of defence against a record that kills the stage (a bug nobody has found yet, an
 * {@link Error}): each step notes the input record it is working on; when a stream thread dies, the
 * record it was on is counted, in Kafka; a record the stage died on {@link #DEATHS} times in a row
 * is dead-lettered the next time it comes, instead of processed, in this process or after a
 * restart. So a crash loop over one record ends after the third attempt.
 *
 * <p>One instance per {@link PolicyStage}; the records in progress are per stream thread (the
 * uncaught-exception handler runs on the thread that died, so it finds its own).
 */
final class CrashGuard {
  private static final Logger log = LoggerFactory.getLogger(CrashGuard.class);

  /** Deaths on one record before it is dead-lettered unprocessed. */
  static final int DEATHS = 2;

  /** A record of a step's input. */
  record Position(String topic, int partition, long offset) {
    /** The crash record's key: one per input partition, so the compacted topic stays small. */
    String partitionKey() {
      return topic + "-" + partition;
    }

    @Override
    public String toString() {
      return topic + "-" + partition + "@" + offset;
    }
  }

  /** The last death on an input partition: at which offset, and how many times in a row. */
  record Crash(long offset, int deaths) {}

  /** Where the crash counts outlive the process. */
  interface Store {
    /** Every partition's last crash. */
    Map<String, Crash> readAll();

    /** Writes synchronously: the thread is replaced right after. */
    void write(String partitionKey, Crash crash);
  }

  /** For the tests of the topology: counts in memory only. */
  static final Store IN_MEMORY =
      new Store() {
        @Override
        public Map<String, Crash> readAll() {
          return Map.of();
        }

        @Override
        public void write(String partitionKey, Crash crash) {}
      };

  private final Store store;
  private final Map<String, Position> working = new ConcurrentHashMap<>();
  private final Map<String, Crash> crashes = new ConcurrentHashMap<>();

  CrashGuard(Store store) {
    this.store = store;
  }

  /** Reads the counts the previous runs left. */
  void load() {
    crashes.clear();
    crashes.putAll(store.readAll());
    if (!crashes.isEmpty()) {
      log.info("policy stage crash records: {}", crashes);
    }
  }

  /** Whether the stage died on this record {@link #DEATHS} times in a row. */
  Optional<Crash> diedOn(Position p) {
    Crash c = crashes.get(p.partitionKey());
    return c != null && c.offset() == p.offset() && c.deaths() >= DEATHS
        ? Optional.of(c)
        : Optional.empty();
  }

  /** The calling stream thread starts on {@code p}. */
  void working(Position p) {
    working.put(Thread.currentThread().getName(), p);
  }

  /** The calling stream thread finished its record (settled; not when it dies on it). */
  void done() {
    working.remove(Thread.currentThread().getName());
  }

  /**
   * The calling stream thread is dying: counts the death against the record it was on, if any, and
   * writes the count before the thread is replaced.
   */
  Optional<Position> died() {
    Position p = working.remove(Thread.currentThread().getName());
    if (p == null) {
      return Optional.empty();
    }
    Crash before = crashes.get(p.partitionKey());
    Crash now =
        new Crash(
            p.offset(), before != null && before.offset() == p.offset() ? before.deaths() + 1 : 1);
    crashes.put(p.partitionKey(), now);
    try {
      store.write(p.partitionKey(), now);
    } catch (RuntimeException e) {
      // The count still holds in this process; only a restart would forget it.
      log.error("cannot record the policy stage's death on {}: {}", p, e.toString());
    }
    return Optional.of(p);
  }
}

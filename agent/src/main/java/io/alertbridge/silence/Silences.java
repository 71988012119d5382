package io.alertbridge.silence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The silences every instance shares (the compacted topic {@code STATE-silences}, read whole), as
 * this instance last read them. Thread-safe; each call sees one consistent snapshot.
 */
public interface Silences {
  /** No silences at all: the policy's tests and the direct path without Kafka. */
  Silences NONE =
      new Silences() {
        @Override
        public Optional<Silence> silencing(AlertFields alert, Instant at) {
          return Optional.empty();
        }

        @Override
        public List<Silence> all() {
          return List.of();
        }
      };

  /**
   * The active silence that covers the alert at {@code at}; of several, the one that ends last (the
   * alert is silent until then). Fast: indexed by the silences' equality matchers, so a thousand
   * silences cost little more than one.
   */
  Optional<Silence> silencing(AlertFields alert, Instant at);

  /** Every silence known, expired ones included, newest first. */
  List<Silence> all();

  default Optional<Silence> get(String id) {
    return all().stream().filter(s -> s.id().equals(id)).findFirst();
  }
}

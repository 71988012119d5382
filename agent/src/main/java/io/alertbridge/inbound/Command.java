package io.alertbridge.inbound;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What a reply asks for: its first non-quoted line. */
public sealed interface Command permits Command.Ack, Command.Unack {

  /** {@code ack} or {@code ack 2h}: the duration, when given, is how long the ack holds. */
  record Ack(Optional<Duration> ttl) implements Command {
    public Ack {
      Objects.requireNonNull(ttl, "ttl");
    }
  }

  /** {@code unack}: withdraw an acknowledgement. */
  record Unack() implements Command {}
}

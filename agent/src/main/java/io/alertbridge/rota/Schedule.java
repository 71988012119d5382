package io.alertbridge.rota;

import java.time.Instant;
import java.util.List;

/** A rota before its overrides: who the schedule puts on watch at an instant. */
interface Schedule {
  /** The schedule's watch at {@code t}: its members and the slot of the schedule that holds t. */
  Watch at(Instant t);

  /** Every member the schedule ever puts on watch. */
  List<String> members();
}

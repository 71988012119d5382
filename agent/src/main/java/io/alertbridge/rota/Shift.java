package io.alertbridge.rota;

import java.time.LocalTime;
import java.util.List;

/** A shift of a repeating day: it runs from {@code start} to the next shift's start. */
public record Shift(LocalTime start, List<String> members) {
  public Shift {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("shift at " + start + " without members");
    }
  }
}

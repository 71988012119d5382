package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class MuteWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private final MuteWindow window =
      new MuteWindow(
          EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 0), LocalTime.of(2, 30), BERLIN);

  @Test
  void inTheRepeatedHourOfAFallBackTheEndIsStillAhead() {
    // 2026-10-25 02:10 CET, the second 02:10 of the night (01:10 UTC).
    Instant t = Instant.parse("2026-10-25T01:10:00Z");
    assertThat(window.contains(t)).isTrue();
    assertThat(window.endAfter(t)).isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
    assertThat(MuteWindow.unmutedFrom(List.of(window), t))
        .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
  }

  @Test
  void inTheFirstPassOfTheRepeatedHourTheEndIsTheFirstPasssEnd() {
    // 2026-10-25 02:10 CEST (00:10 UTC).
    Instant t = Instant.parse("2026-10-25T00:10:00Z");
    assertThat(window.endAfter(t)).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
  }

  @Test
  void anOrdinaryDayEndsAtTheLocalEnd() {
    Instant t = Instant.parse("2026-11-30T01:15:00Z"); // 02:15 CET
    assertThat(window.endAfter(t)).isEqualTo(Instant.parse("2026-11-30T01:30:00Z"));
  }
}

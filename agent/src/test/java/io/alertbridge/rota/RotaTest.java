package io.alertbridge.rota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotaTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final String THIRD = "third.officer@plant.example";
  private static final String CHIEF = "chief.officer@plant.example";
  private static final String SECOND = "second.officer@plant.example";
  private static final String RELIEF = "relief.officer@plant.example";

  /** A ship's 4-on/8-off watches: each officer keeps two watches a day, twelve hours apart. */
  private static Rota shipsWatches(List<RotaOverride> overrides) {
    return Rota.ofShifts(
        BERLIN,
        List.of(
            shift("00:00", THIRD),
            shift("04:00", CHIEF),
            shift("08:00", SECOND),
            shift("12:00", THIRD),
            shift("16:00", CHIEF),
            shift("20:00", SECOND)),
        overrides);
  }

  private static Shift shift(String start, String... members) {
    return new Shift(LocalTime.parse(start), List.of(members));
  }

  private static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  private static Watch watch(Rota r, String offsetDateTime) {
    return r.at(at(offsetDateTime));
  }

  @Test
  void shipsWatchesPutEachOfficerOnTwiceADay() {
    Rota r = shipsWatches(List.of());
    assertThat(watch(r, "2026-06-01T01:00:00+02:00").members()).containsExactly(THIRD);
    assertThat(watch(r, "2026-06-01T05:00:00+02:00").members()).containsExactly(CHIEF);
    assertThat(watch(r, "2026-06-01T08:00:00+02:00").members()).containsExactly(SECOND);
    assertThat(watch(r, "2026-06-01T15:59:59+02:00").members()).containsExactly(THIRD);
    assertThat(watch(r, "2026-06-01T16:00:00+02:00").members()).containsExactly(CHIEF);
    assertThat(watch(r, "2026-06-01T23:30:00+02:00").members()).containsExactly(SECOND);
  }

  @Test
  void aWatchRunsFromItsStartToTheNextShiftsStart() {
    Watch w = watch(shipsWatches(List.of()), "2026-06-01T13:10:00+02:00");
    assertThat(w)
        .isEqualTo(
            new Watch(
                List.of(THIRD), at("2026-06-01T12:00:00+02:00"), at("2026-06-01T16:00:00+02:00")));
  }

  @Test
  void theLastWatchOfTheDayEndsAtMidnight() {
    Watch w = watch(shipsWatches(List.of()), "2026-06-01T22:00:00+02:00");
    assertThat(w.members()).containsExactly(SECOND);
    assertThat(w.from()).isEqualTo(at("2026-06-01T20:00:00+02:00"));
    assertThat(w.until()).isEqualTo(at("2026-06-02T00:00:00+02:00"));
  }

  @Test
  void shiftsThatDoNotStartAtMidnightWrapPastIt() {
    Rota r =
        Rota.ofShifts(BERLIN, List.of(shift("08:00", CHIEF), shift("20:00", SECOND)), List.of());
    Watch night = watch(r, "2026-06-02T03:00:00+02:00");
    assertThat(night.members()).containsExactly(SECOND);
    assertThat(night.from()).isEqualTo(at("2026-06-01T20:00:00+02:00"));
    assertThat(night.until()).isEqualTo(at("2026-06-02T08:00:00+02:00"));
  }

  @Test
  void aShiftStartingInTheSpringForwardGapBeginsWhenTheClockJumps() {
    // 29 March 2026: Berlin's clocks go from 02:00 to 03:00.
    Rota r =
        Rota.ofShifts(BERLIN, List.of(shift("00:00", THIRD), shift("02:00", CHIEF)), List.of());
    Watch before = watch(r, "2026-03-29T01:30:00+01:00");
    assertThat(before.members()).containsExactly(THIRD);
    assertThat(before.until()).isEqualTo(at("2026-03-29T03:00:00+02:00"));
    Watch after = watch(r, "2026-03-29T03:00:00+02:00");
    assertThat(after.members()).containsExactly(CHIEF);
    assertThat(after.from()).isEqualTo(at("2026-03-29T03:00:00+02:00"));
  }

  @Test
  void onTheFallBackNightAWatchFollowsTheWallClock() {
    // 25 October 2026: Berlin's clocks go back from 03:00 to 02:00; 00:00-04:00 lasts five hours.
    Watch w = watch(shipsWatches(List.of()), "2026-10-25T02:30:00+01:00");
    assertThat(w.members()).containsExactly(THIRD);
    assertThat(w.from()).isEqualTo(at("2026-10-25T00:00:00+02:00"));
    assertThat(w.until()).isEqualTo(at("2026-10-25T04:00:00+01:00"));
    assertThat(Duration.between(w.from(), w.until())).isEqualTo(Duration.ofHours(5));
  }

  @Test
  void twoShiftsWithOneStartAreRefused() {
    assertThatThrownBy(
            () ->
                Rota.ofShifts(
                    BERLIN, List.of(shift("04:00", CHIEF), shift("04:00", SECOND)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two shifts start at 04:00");
  }

  private static Rota weekly() {
    return Rota.ofRotation(
        BERLIN,
        Duration.ofDays(7),
        OffsetDateTime.parse("2026-03-16T09:00:00+01:00"),
        List.of("anna@plant.example", "ben@plant.example", "chen@plant.example"),
        List.of());
  }

  @Test
  void aWeeklyRotationHandsOverAtNineLocalAcrossTheSpringChange() {
    Rota r = weekly();
    Watch ben = watch(r, "2026-03-28T12:00:00+01:00");
    assertThat(ben.members()).containsExactly("ben@plant.example");
    // Summer time began on the 29th: the handover is still at 09:00 on the wall clock.
    assertThat(ben.until()).isEqualTo(at("2026-03-30T09:00:00+02:00"));
    assertThat(watch(r, "2026-03-30T08:59:59+02:00").members())
        .containsExactly("ben@plant.example");
    Watch chen = watch(r, "2026-03-30T09:00:00+02:00");
    assertThat(chen.members()).containsExactly("chen@plant.example");
    assertThat(chen.from()).isEqualTo(at("2026-03-30T09:00:00+02:00"));
  }

  @Test
  void aWeeklyRotationHandsOverAtNineLocalAcrossTheAutumnChange() {
    Rota r = weekly();
    // 32 weeks after 16 March is 26 October, the day after summer time ended: ben hands over to
    // chen (weeks 31 and 32, of three members).
    Watch before = watch(r, "2026-10-26T08:59:59+01:00");
    assertThat(before.until()).isEqualTo(at("2026-10-26T09:00:00+01:00"));
    assertThat(before.from()).isEqualTo(at("2026-10-19T09:00:00+02:00"));
    assertThat(before.members()).containsExactly("ben@plant.example");
    assertThat(watch(r, "2026-10-26T09:00:00+01:00").members())
        .containsExactly("chen@plant.example");
  }

  @Test
  void beforeTheHandoverTheRotationCyclesBackwards() {
    Watch w = watch(weekly(), "2026-03-10T12:00:00+01:00");
    assertThat(w.members()).containsExactly("chen@plant.example");
    assertThat(w.from()).isEqualTo(at("2026-03-09T09:00:00+01:00"));
    assertThat(w.until()).isEqualTo(at("2026-03-16T09:00:00+01:00"));
  }

  @Test
  void aRotationOfHoursIsAPlainDurationAcrossDst() {
    Rota r =
        Rota.ofRotation(
            BERLIN,
            Duration.ofHours(12),
            OffsetDateTime.parse("2026-03-28T20:00:00+01:00"),
            List.of(CHIEF, SECOND),
            List.of());
    Watch w = watch(r, "2026-03-29T07:00:00+02:00");
    assertThat(w.members()).containsExactly(CHIEF);
    // Twelve hours after 20:00 the day before is 09:00 summer time, not 08:00.
    assertThat(w.until()).isEqualTo(at("2026-03-29T09:00:00+02:00"));
  }

  @Test
  void anOverrideSwapsAPersonWhileItLasts() {
    Rota r =
        shipsWatches(
            List.of(
                new RotaOverride(
                    at("2026-12-24T00:00:00+01:00"),
                    at("2026-12-27T00:00:00+01:00"),
                    SECOND,
                    RELIEF)));
    assertThat(watch(r, "2026-12-23T21:00:00+01:00").members()).containsExactly(SECOND);
    Watch christmas = watch(r, "2026-12-25T09:00:00+01:00");
    assertThat(christmas.members()).containsExactly(RELIEF);
    assertThat(christmas.until()).isEqualTo(at("2026-12-25T12:00:00+01:00"));
    assertThat(watch(r, "2026-12-25T13:00:00+01:00").members()).containsExactly(THIRD);
    assertThat(watch(r, "2026-12-27T09:00:00+01:00").members()).containsExactly(SECOND);
  }

  @Test
  void anOverrideStartingWithinAWatchEndsTheWatchThere() {
    Rota r =
        shipsWatches(
            List.of(
                new RotaOverride(
                    at("2026-12-24T10:00:00+01:00"),
                    at("2026-12-24T11:00:00+01:00"),
                    SECOND,
                    RELIEF)));
    Watch early = watch(r, "2026-12-24T09:00:00+01:00");
    assertThat(early.members()).containsExactly(SECOND);
    assertThat(early.until()).isEqualTo(at("2026-12-24T10:00:00+01:00"));
    Watch relief = watch(r, "2026-12-24T10:30:00+01:00");
    assertThat(relief)
        .isEqualTo(
            new Watch(
                List.of(RELIEF), at("2026-12-24T10:00:00+01:00"), at("2026-12-24T11:00:00+01:00")));
    Watch late = watch(r, "2026-12-24T11:30:00+01:00");
    assertThat(late.from()).isEqualTo(at("2026-12-24T11:00:00+01:00"));
    assertThat(late.until()).isEqualTo(at("2026-12-24T12:00:00+01:00"));
  }

  @Test
  void aStandInAlreadyOnWatchIsNamedOnce() {
    Rota r =
        Rota.ofShifts(
            BERLIN,
            List.of(shift("00:00", CHIEF, SECOND)),
            List.of(
                new RotaOverride(
                    at("2026-12-24T00:00:00+01:00"),
                    at("2026-12-25T00:00:00+01:00"),
                    SECOND,
                    CHIEF)));
    assertThat(watch(r, "2026-12-24T12:00:00+01:00").members()).containsExactly(CHIEF);
  }

  @Test
  void everyoneIncludesTheStandIns() {
    Rota r =
        shipsWatches(
            List.of(
                new RotaOverride(
                    at("2026-12-24T00:00:00+01:00"),
                    at("2026-12-27T00:00:00+01:00"),
                    SECOND,
                    RELIEF)));
    assertThat(r.everyone()).containsExactly(THIRD, CHIEF, SECOND, RELIEF);
  }
}

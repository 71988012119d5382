package io.alertbridge.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * A repeating day of shifts, read off the wall clock of a zone: the shift on watch is the one whose
 * start the clock last passed. On a spring-forward day a 02:00 start thus begins at 03:00, and on a
 * fall-back day the clock passes the repeated hour's starts twice.
 */
final class ShiftSchedule implements Schedule {
  /** A shift on a given day: the day its start falls on, and which shift. */
  private record Occurrence(LocalDate date, int index) {}

  // A shift lasts at most a day plus a DST hour, so two days either side hold its start and end.
  private static final int DAYS_AROUND = 2;

  private final ZoneId zone;
  private final ZoneRules rules;
  private final List<Shift> shifts;

  ShiftSchedule(ZoneId zone, List<Shift> shifts) {
    if (shifts.isEmpty()) {
      throw new IllegalArgumentException("a rota of shifts needs at least one shift");
    }
    List<Shift> sorted = new ArrayList<>(shifts);
    sorted.sort(Comparator.comparing(Shift::start));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).start().equals(sorted.get(i - 1).start())) {
        throw new IllegalArgumentException("two shifts start at " + sorted.get(i).start());
      }
    }
    this.zone = zone;
    this.rules = zone.getRules();
    this.shifts = List.copyOf(sorted);
  }

  @Override
  public Watch at(Instant t) {
    Occurrence now = occurrenceAt(t);
    // The occurrence can only change where the wall clock passes a start or jumps (a DST
    // transition); between two such points it is constant, so the run holding t is found by
    // walking the points either side of t.
    List<Instant> points = new ArrayList<>(changePoints(t));
    int last = -1;
    for (int i = 0; i < points.size() && !points.get(i).isAfter(t); i++) {
      last = i;
    }
    Instant from = t;
    for (int i = last; i >= 0 && occurrenceAt(points.get(i)).equals(now); i--) {
      from = points.get(i);
    }
    Instant until = null;
    for (int i = last + 1; i < points.size() && until == null; i++) {
      if (!occurrenceAt(points.get(i)).equals(now)) {
        until = points.get(i);
      }
    }
    return new Watch(shifts.get(now.index()).members(), from, until);
  }

  @Override
  public List<String> members() {
    return shifts.stream().flatMap(s -> s.members().stream()).distinct().toList();
  }

  private Occurrence occurrenceAt(Instant t) {
    LocalDateTime local = LocalDateTime.ofInstant(t, zone);
    LocalTime time = local.toLocalTime();
    int i = shifts.size() - 1;
    while (i >= 0 && shifts.get(i).start().isAfter(time)) {
      i--;
    }
    // Before the day's first start, the last shift of the day before is still on.
    return i >= 0
        ? new Occurrence(local.toLocalDate(), i)
        : new Occurrence(local.toLocalDate().minusDays(1), shifts.size() - 1);
  }

  /** Each instant near t at which the wall clock shows a shift's start, and each DST jump. */
  private TreeSet<Instant> changePoints(Instant t) {
    TreeSet<Instant> points = new TreeSet<>();
    LocalDate today = LocalDateTime.ofInstant(t, zone).toLocalDate();
    for (int d = -DAYS_AROUND; d <= DAYS_AROUND; d++) {
      for (Shift s : shifts) {
        LocalDateTime start = today.plusDays(d).atTime(s.start());
        // None in a spring-forward gap (the jump itself is a point), two in a fall-back overlap.
        for (ZoneOffset offset : new HashSet<>(rules.getValidOffsets(start))) {
          points.add(start.toInstant(offset));
        }
      }
    }
    Duration reach = Duration.ofDays(DAYS_AROUND + 1L);
    ZoneOffsetTransition jump = rules.nextTransition(t.minus(reach));
    while (jump != null && jump.getInstant().isBefore(t.plus(reach))) {
      points.add(jump.getInstant());
      jump = rules.nextTransition(jump.getInstant());
    }
    return points;
  }
}

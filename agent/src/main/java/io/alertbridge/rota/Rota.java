package io.alertbridge.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A list whose members change with the time: daily shifts or a rotation in a time zone, with dated
 * overrides (issue 18). Answers who is on watch at an instant, and until when.
 */
public final class Rota {
  private final ZoneId zone;
  private final Schedule schedule;
  private final List<RotaOverride> overrides;

  private Rota(ZoneId zone, Schedule schedule, List<RotaOverride> overrides) {
    this.zone = zone;
    this.schedule = schedule;
    this.overrides = List.copyOf(overrides);
  }

  /**
   * A repeating day of shifts, each from its start to the next one's; the last wraps past 24:00.
   */
  public static Rota ofShifts(ZoneId zone, List<Shift> shifts, List<RotaOverride> overrides) {
    return new Rota(zone, new ShiftSchedule(zone, shifts), overrides);
  }

  /** Members on watch in turn, one each {@code every}, the first from {@code handover}. */
  public static Rota ofRotation(
      ZoneId zone,
      Duration every,
      OffsetDateTime handover,
      List<String> members,
      List<RotaOverride> overrides) {
    return new Rota(zone, new RotationSchedule(zone, every, handover, members), overrides);
  }

  /** The zone whose wall clock the rota follows, and in which to show its times. */
  public ZoneId zone() {
    return zone;
  }

  /** Who is on watch at {@code t}, overrides applied, and the run of time the answer holds for. */
  public Watch at(Instant t) {
    Watch base = schedule.at(t);
    // Within the schedule's slot only an override's start or end can change the crew.
    TreeSet<Instant> points = new TreeSet<>();
    points.add(base.from());
    for (RotaOverride o : overrides) {
      for (Instant p : List.of(o.from(), o.to())) {
        if (p.isAfter(base.from()) && p.isBefore(base.until())) {
          points.add(p);
        }
      }
    }
    List<String> members = applied(base.members(), t);
    Instant from = base.from();
    for (Instant p : points.headSet(t, true).descendingSet()) {
      from = p;
      if (!applied(base.members(), p).equals(members)) {
        from = points.higher(p);
        break;
      }
    }
    Instant until = base.until();
    for (Instant p : points.tailSet(t, false)) {
      if (!applied(base.members(), p).equals(members)) {
        until = p;
        break;
      }
    }
    return new Watch(members, from, until);
  }

  /** Everyone the rota may ever put on watch, overrides' stand-ins included. */
  public List<String> everyone() {
    List<String> all = new ArrayList<>(schedule.members());
    overrides.forEach(o -> addOnce(all, o.with()));
    return List.copyOf(all);
  }

  private List<String> applied(List<String> scheduled, Instant t) {
    List<String> out = new ArrayList<>();
    for (String member : scheduled) {
      String onWatch = member;
      for (RotaOverride o : overrides) {
        if (o.activeAt(t) && o.replace().equalsIgnoreCase(member)) {
          onWatch = o.with();
          break;
        }
      }
      addOnce(out, onWatch);
    }
    return out;
  }

  /** Addresses compare without case here: a stand-in already on watch is not mailed twice. */
  private static void addOnce(List<String> list, String address) {
    String key = address.toLowerCase(Locale.ROOT);
    if (list.stream().noneMatch(a -> a.toLowerCase(Locale.ROOT).equals(key))) {
      list.add(address);
    }
  }
}

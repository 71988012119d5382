package io.alertbridge.rota;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Members take the watch in turn, one each {@code every}, member i from {@code handover + i *
 * every}, cycling (and cycling backwards before the handover). A whole number of days hands over at
 * the same wall-clock time across DST changes, as people expect of "every Monday at 09:00";
 * anything else is a plain duration.
 */
final class RotationSchedule implements Schedule {
  private static final long DAY_NANOS = Duration.ofDays(1).toNanos();

  private final Duration every;
  private final ZonedDateTime handover;
  private final List<String> members;
  private final long days;

  RotationSchedule(ZoneId zone, Duration every, OffsetDateTime handover, List<String> members) {
    if (every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("a rotation must hand over after a positive time");
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a rotation needs at least one member");
    }
    this.every = every;
    this.handover = handover.atZoneSameInstant(zone);
    this.members = List.copyOf(members);
    this.days = every.toNanos() % DAY_NANOS == 0 ? every.toDays() : 0;
  }

  @Override
  public Watch at(Instant t) {
    // The plain-duration estimate is off by at most one turn when days meet DST changes.
    long n = Duration.between(handover.toInstant(), t).dividedBy(every);
    while (start(n).isAfter(t)) {
      n--;
    }
    while (!start(n + 1).isAfter(t)) {
      n++;
    }
    String member = members.get((int) Math.floorMod(n, (long) members.size()));
    return new Watch(List.of(member), start(n), start(n + 1));
  }

  @Override
  public List<String> members() {
    return members.stream().distinct().toList();
  }

  private Instant start(long n) {
    return days > 0
        ? handover.plusDays(Math.multiplyExact(n, days)).toInstant()
        : handover.toInstant().plus(every.multipliedBy(n));
  }
}

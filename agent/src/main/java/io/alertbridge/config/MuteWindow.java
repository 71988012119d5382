package io.alertbridge.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The compiled form of a {@link MuteSettings}: on the given days, from {@code start} (inclusive) to
 * {@code end} (exclusive) in {@code zone}. Like Alertmanager's time intervals, one interval does
 * not cross midnight ({@code 24:00} ends the day); a night is two intervals.
 */
public record MuteWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
  static final String TIMES_RULE =
      "must be HH:MM-HH:MM within one day, the start before the end (24:00 ends the day)";

  /** Null end means 24:00. */
  public MuteWindow {
    days = Set.copyOf(days);
  }

  public boolean contains(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalTime time = local.toLocalTime();
    return days.contains(local.getDayOfWeek())
        && !time.isBefore(start)
        && (end == null || time.isBefore(end));
  }

  /**
   * When the interval that contains {@code t} ends, always after {@code t}; only meaningful if
   * {@link #contains}. In the hour a fall-back repeats, the end is resolved with {@code t}'s own
   * offset: the earlier offset (Java's default for an ambiguous local time) would put the end of a
   * 02:00-02:30 window seen at the second 02:10 an hour in the past, and a muted group would be
   * looked at again every tick until the real end.
   */
  public Instant endAfter(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    ZonedDateTime e =
        end == null
            ? local.toLocalDate().plusDays(1).atStartOfDay(zone)
            : ZonedDateTime.ofLocal(local.toLocalDate().atTime(end), zone, local.getOffset());
    Instant out = e.toInstant();
    // A gap or overlap between t and the end can still land it at or before t: never go back.
    return out.isAfter(t) ? out : t.plusSeconds(1);
  }

  /** True while any window mutes {@code t}. */
  public static boolean muted(List<MuteWindow> windows, Instant t) {
    return windows.stream().anyMatch(w -> w.contains(t));
  }

  /** The first instant at or after {@code t} that no window mutes. */
  public static Instant unmutedFrom(List<MuteWindow> windows, Instant t) {
    Instant at = t;
    // Adjacent windows (Saturday then Sunday) chain; a week of them cannot loop more than 14 times.
    for (int i = 0; i < 64; i++) {
      Instant current = at;
      var containing = windows.stream().filter(w -> w.contains(current)).findFirst();
      if (containing.isEmpty()) {
        return at;
      }
      at = containing.get().endAfter(at);
    }
    return at;
  }

  /** Compiles a setting that passed validation. */
  public static MuteWindow of(MuteSettings s) {
    List<ConfigProblem> problems = new java.util.ArrayList<>();
    MuteWindow w = compile(s, "mute", problems);
    if (w == null) {
      throw new IllegalArgumentException("invalid mute interval: " + problems);
    }
    return w;
  }

  private static void problem(List<ConfigProblem> out, String path, String found, String rule) {
    out.add(new ConfigProblem(path, found, rule));
  }

  /** Compiles one setting, reporting each broken rule under {@code path}. */
  static MuteWindow compile(MuteSettings s, String path, List<ConfigProblem> v) {
    if (s == null) {
      problem(v, path, null, "must be a mapping with weekdays, times and timezone");
      return null;
    }
    boolean ok = true;
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    if (s.weekdays().isEmpty()) {
      days = EnumSet.allOf(DayOfWeek.class);
    }
    for (int i = 0; i < s.weekdays().size(); i++) {
      String d = s.weekdays().get(i);
      try {
        days.add(DayOfWeek.valueOf(d.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException | NullPointerException e) {
        problem(
            v,
            path + ".weekdays[" + i + "]",
            ConfigValidator.quote(d),
            "must be a day of the week: monday … sunday");
        ok = false;
      }
    }
    LocalTime start = LocalTime.MIDNIGHT;
    LocalTime end = null;
    if (s.times() != null) {
      String[] parts = s.times().trim().split("-", -1);
      try {
        if (parts.length != 2) {
          throw new DateTimeException("no single '-'");
        }
        start = LocalTime.parse(parts[0].trim());
        end = parts[1].trim().equals("24:00") ? null : LocalTime.parse(parts[1].trim());
        if (end != null && !start.isBefore(end)) {
          throw new DateTimeException("start not before end");
        }
      } catch (DateTimeException e) {
        problem(v, path + ".times", ConfigValidator.quote(s.times()), TIMES_RULE);
        ok = false;
      }
    }
    ZoneId zone = ZoneId.of("UTC");
    if (s.timezone() != null) {
      try {
        zone = ZoneId.of(s.timezone().trim());
      } catch (DateTimeException e) {
        problem(
            v,
            path + ".timezone",
            ConfigValidator.quote(s.timezone()),
            "must be an IANA time zone such as Europe/Berlin or UTC");
        ok = false;
      }
    }
    return ok ? new MuteWindow(days, start, end, zone) : null;
  }
}

package io.alertbridge.config;

import io.alertbridge.rota.Rota;
import io.alertbridge.rota.RotaOverride;
import io.alertbridge.rota.Shift;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a rota under {@code lists.NAME.rota}; like {@link MuteWindow#compile} it checks and
 * compiles in one pass, so the rules and what runs cannot drift apart.
 */
final class RotaRules {
  static final String ZONE_RULE = "must be an IANA time zone such as Europe/Berlin or UTC";
  static final String TIME_RULE = "must be a time of day HH:MM, from 00:00 to 23:59";
  static final String INSTANT_RULE =
      "must be a date-time such as 2026-12-24T00:00:00+01:00 (without an offset: in the rota's"
          + " timezone)";
  private static final Pattern HH_MM = Pattern.compile("\\d{2}:\\d{2}");

  private final String path;
  private final List<ConfigProblem> out;
  private boolean ok = true;

  private RotaRules(String path, List<ConfigProblem> out) {
    this.path = path;
    this.out = out;
  }

  /** Compiles {@code s}, reporting each broken rule under {@code path}; null if any is broken. */
  static Rota compile(RotaSettings s, String path, List<ConfigProblem> out) {
    return new RotaRules(path, out).rota(s);
  }

  private Rota rota(RotaSettings s) {
    if (s == null) {
      problem(path, null, "must be a mapping with timezone, shifts or rotation, and overrides");
      return null;
    }
    ZoneId zone = zone(s.timezone());
    boolean shifts = s.shifts() != null;
    boolean rotation = s.rotation() != null;
    if (shifts == rotation) {
      problem(
          path,
          null,
          shifts
              ? "must have shifts or a rotation, not both"
              : "must have shifts (a repeating day) or a rotation (members in turn)");
      return null;
    }
    List<Shift> day = shifts ? shifts(s.shifts()) : List.of();
    List<String> members = shifts ? members(day) : rotationMembers(s.rotation());
    Instant handover = rotation ? handover(s.rotation(), zone) : null;
    List<RotaOverride> overrides = overrides(s.overrides(), zone, members);
    if (!ok || zone == null) {
      return null;
    }
    return shifts
        ? Rota.ofShifts(zone, day, overrides)
        : Rota.ofRotation(
            zone,
            s.rotation().every(),
            handover.atZone(zone).toOffsetDateTime(),
            s.rotation().members(),
            overrides);
  }

  private ZoneId zone(String timezone) {
    if (ConfigValidator.blank(timezone)) {
      problem(
          path + ".timezone", null, "is required: an IANA time zone such as Europe/Berlin or UTC");
      return null;
    }
    try {
      return ZoneId.of(timezone.trim());
    } catch (DateTimeException e) {
      problem(path + ".timezone", ConfigValidator.quote(timezone), ZONE_RULE);
      return null;
    }
  }

  private List<Shift> shifts(List<RotaSettings.ShiftSettings> shifts) {
    String p = path + ".shifts";
    if (shifts.isEmpty()) {
      problem(p, "[]", "must have at least one shift");
    }
    List<Shift> day = new ArrayList<>();
    Map<LocalTime, Integer> starts = new HashMap<>();
    for (int i = 0; i < shifts.size(); i++) {
      String at = p + "[" + i + "]";
      RotaSettings.ShiftSettings s = shifts.get(i);
      if (s == null) {
        problem(at, null, "must be a mapping with start and members");
        continue;
      }
      addresses(at + ".members", s.members());
      LocalTime start = start(at + ".start", s.start());
      if (start == null) {
        continue;
      }
      Integer twin = starts.putIfAbsent(start, i);
      if (twin != null) {
        problem(
            at + ".start",
            ConfigValidator.quote(s.start()),
            "must differ from every other shift's start: shifts[" + twin + "] starts then too");
      } else if (!s.members().isEmpty()) {
        day.add(new Shift(start, s.members()));
      }
    }
    return day;
  }

  private LocalTime start(String p, String text) {
    if (text == null) {
      problem(p, null, "is required: a time of day HH:MM");
      return null;
    }
    try {
      if (HH_MM.matcher(text.trim()).matches()) {
        return LocalTime.parse(text.trim());
      }
    } catch (DateTimeException e) {
      // Reported below with the rule, as for a text that is no time at all.
    }
    problem(p, ConfigValidator.quote(text), TIME_RULE);
    return null;
  }

  private static List<String> members(List<Shift> day) {
    return day.stream().flatMap(s -> s.members().stream()).toList();
  }

  private List<String> rotationMembers(RotaSettings.RotationSettings r) {
    String p = path + ".rotation";
    if (r.every() == null) {
      problem(p + ".every", null, "is required: how long each member keeps the watch, e.g. 7d");
    } else if (r.every().isZero() || r.every().isNegative()) {
      problem(p + ".every", Durations.format(r.every()), "must be longer than zero");
    }
    addresses(p + ".members", r.members());
    return r.members();
  }

  private Instant handover(RotaSettings.RotationSettings r, ZoneId zone) {
    String p = path + ".rotation.handover";
    if (r.handover() == null) {
      problem(
          p,
          null,
          "is required: when the first member takes the watch, e.g. "
              + "2026-12-07T09:00:00+01:00");
      return null;
    }
    return instant(p, r.handover(), zone);
  }

  private List<RotaOverride> overrides(
      List<RotaSettings.OverrideSettings> overrides, ZoneId zone, List<String> members) {
    List<RotaOverride> out = new ArrayList<>();
    for (int i = 0; i < overrides.size(); i++) {
      String p = path + ".overrides[" + i + "]";
      RotaSettings.OverrideSettings o = overrides.get(i);
      if (o == null) {
        problem(p, null, "must be a mapping with from, to, replace and with");
        continue;
      }
      Instant from = required(p + ".from", o.from(), zone);
      Instant to = required(p + ".to", o.to(), zone);
      if (from != null && to != null && !to.isAfter(from)) {
        problem(p + ".to", ConfigValidator.quote(o.to()), "must be after from (" + o.from() + ")");
        to = null;
      }
      boolean people = address(p + ".replace", o.replace()) & address(p + ".with", o.with());
      if (people && members.stream().noneMatch(m -> m.equalsIgnoreCase(o.replace()))) {
        problem(
            p + ".replace",
            ConfigValidator.quote(o.replace()),
            "must be a member of the rota, or the override never takes effect");
      } else if (people && from != null && to != null) {
        out.add(new RotaOverride(from, to, o.replace(), o.with()));
      }
    }
    return out;
  }

  private Instant required(String p, String text, ZoneId zone) {
    if (text == null) {
      problem(p, null, "is required: a date-time such as 2026-12-24T00:00:00+01:00");
      return null;
    }
    return instant(p, text, zone);
  }

  /** An offset date-time, or a local one read in the rota's zone (once the zone is known). */
  private Instant instant(String p, String text, ZoneId zone) {
    Optional<Instant> parsed = parseInstant(text, zone);
    if (parsed.isEmpty() && (zone != null || !looksLocal(text))) {
      problem(p, ConfigValidator.quote(text), INSTANT_RULE);
    }
    return parsed.orElse(null);
  }

  /** Parses ISO {@code 2026-12-24T00:00:00+01:00}, or {@code 2026-12-24T00:00} in {@code zone}. */
  static Optional<Instant> parseInstant(String text, ZoneId zone) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    try {
      return Optional.of(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeException e) {
      // Not with an offset: maybe a local date-time.
    }
    if (zone == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDateTime.parse(t).atZone(zone).toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static boolean looksLocal(String text) {
    try {
      LocalDateTime.parse(text.trim().toUpperCase(Locale.ROOT));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private void addresses(String p, List<String> members) {
    if (members.isEmpty()) {
      problem(p, "[]", "must name at least one address");
    }
    for (int i = 0; i < members.size(); i++) {
      address(p + "[" + i + "]", members.get(i));
    }
  }

  private boolean address(String p, String address) {
    Optional<ConfigProblem> bad = ConfigValidator.mailboxProblem(p, address, "");
    bad.ifPresent(
        b -> {
          out.add(b);
          ok = false;
        });
    return bad.isEmpty();
  }

  private void problem(String p, String found, String rule) {
    out.add(new ConfigProblem(p, found, rule));
    ok = false;
  }
}

package io.alertbridge.config;

import io.alertbridge.rota.Rota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A watch rota (issue 18): daily {@code shifts} or a {@code rotation}, in {@code timezone}, with
 * dated {@code overrides}. Times are kept as written so that {@link RotaRules} can name the key and
 * the value of a bad one; {@link #compile} turns validated settings into a {@link Rota}.
 */
public record RotaSettings(
    String timezone,
    List<ShiftSettings> shifts,
    RotationSettings rotation,
    List<OverrideSettings> overrides) {
  public RotaSettings {
    // Null (no shifts key) and empty (shifts: []) are different mistakes, told apart by RotaRules.
    shifts = shifts == null ? null : Copies.list(shifts);
    overrides = Copies.list(overrides);
  }

  /** {@code {start: "04:00", members: [...]}}: on from its start to the next shift's. */
  public record ShiftSettings(String start, List<String> members) {
    public ShiftSettings {
      members = Copies.list(members);
    }
  }

  /** {@code {every: 7d, handover: 2026-12-07T09:00:00+01:00, members: [...]}}. */
  public record RotationSettings(Duration every, String handover, List<String> members) {
    public RotationSettings {
      members = Copies.list(members);
    }
  }

  /** {@code {from, to, replace, with}}: while [from, to), {@code with} stands in for replace. */
  public record OverrideSettings(String from, String to, String replace, String with) {}

  /** The rota of settings that passed validation. */
  public Rota compile() {
    List<ConfigProblem> problems = new ArrayList<>();
    Rota r = RotaRules.compile(this, "rota", problems);
    if (r == null) {
      throw new IllegalArgumentException("invalid rota: " + problems);
    }
    return r;
  }
}

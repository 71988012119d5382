package io.alertbridge.config;

import java.util.List;

/**
 * A named list under {@code lists:}: either a plain list of addresses, or a rota whose members
 * change with the time. In YAML the first is a list, the second a mapping with one key, {@code
 * rota}.
 *
 * @param addresses the plain list's addresses; empty for a rota
 * @param rota null for a plain list
 */
public record ListSettings(List<String> addresses, RotaSettings rota) {
  public ListSettings {
    addresses = Copies.list(addresses);
  }

  public static ListSettings of(List<String> addresses) {
    return new ListSettings(addresses, null);
  }

  public boolean isRota() {
    return rota != null;
  }
}

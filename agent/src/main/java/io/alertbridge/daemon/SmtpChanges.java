package io.alertbridge.daemon;

import io.alertbridge.config.SmtpServerSettings;
import io.alertbridge.config.SmtpSettings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a reload changes the SMTP pool, by server name: a server that is gone is removed, a new one
 * added, and one whose client would be built differently (its own keys, or the {@code smtp} keys
 * every client is built with) is removed and added again.
 *
 * @param removed names of the running servers to drain and close
 * @param added servers of the new configuration to start
 */
record SmtpChanges(Set<String> removed, List<SmtpServerSettings> added) {
  SmtpChanges {
    removed = Set.copyOf(removed);
    added = List.copyOf(added);
  }

  static SmtpChanges between(SmtpSettings running, SmtpSettings next) {
    Map<String, List<Object>> before = shapes(running);
    Map<String, List<Object>> after = shapes(next);
    Set<String> removed = new LinkedHashSet<>();
    before.forEach(
        (name, shape) -> {
          if (!shape.equals(after.get(name))) {
            removed.add(name);
          }
        });
    List<SmtpServerSettings> added =
        next.servers().stream()
            .filter(s -> !Objects.equals(before.get(s.name()), after.get(s.name())))
            .toList();
    return new SmtpChanges(removed, added);
  }

  boolean none() {
    return removed.isEmpty() && added.isEmpty();
  }

  /** What everything a server's client is built from ({@code SmtpWiring.clientSettings}). */
  private static Map<String, List<Object>> shapes(SmtpSettings s) {
    Map<String, List<Object>> shapes = new LinkedHashMap<>();
    for (SmtpServerSettings server : s.servers()) {
      shapes.put(
          server.name(),
          Arrays.asList(
              server,
              s.connectionsOf(server),
              s.envelopeSender(),
              s.helo(),
              s.connectTimeout(),
              s.readTimeout(),
              s.writeTimeout(),
              s.dataTimeout(),
              s.idleTimeout()));
    }
    return shapes;
  }

  @Override
  public String toString() {
    List<String> names = added.stream().map(SmtpServerSettings::name).toList();
    return "removed "
        + removed.stream().filter(n -> !names.contains(n)).toList()
        + ", added "
        + names.stream().filter(n -> !removed.contains(n)).toList()
        + ", replaced "
        + names.stream().filter(removed::contains).toList();
  }
}

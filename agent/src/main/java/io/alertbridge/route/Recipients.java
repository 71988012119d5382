package io.alertbridge.route;

import io.alertbridge.config.ListSettings;
import io.alertbridge.rota.Rota;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named lists of a validated configuration, compiled once, and the resolution of a {@code to:}
 * (addresses and {@code list:NAME}) to addresses at an instant: a rota's members change with the
 * time, so whoever sends a mail or an escalation step resolves its recipients then.
 */
public final class Recipients {
  static final String LIST_PREFIX = "list:";

  private final Map<String, List<String>> plain;
  private final Map<String, Rota> rotas;

  private Recipients(Map<String, List<String>> plain, Map<String, Rota> rotas) {
    this.plain = Map.copyOf(plain);
    this.rotas = Map.copyOf(rotas);
  }

  /** Compiles the lists of a configuration that passed validation. */
  public static Recipients of(Map<String, ListSettings> lists) {
    Map<String, List<String>> plain = new LinkedHashMap<>();
    Map<String, Rota> rotas = new LinkedHashMap<>();
    lists.forEach(
        (name, l) -> {
          if (l.isRota()) {
            rotas.put(name, l.rota().compile());
          } else {
            plain.put(name, l.addresses());
          }
        });
    return new Recipients(plain, rotas);
  }

  /**
   * The addresses of {@code to} at {@code at}: each address as given, each {@code list:NAME}
   * expanded (a rota to who is on watch then), in order, each address once.
   *
   * @throws IllegalArgumentException for a list the configuration does not define
   */
  public List<InternetAddress> resolve(List<String> to, Instant at) {
    Set<String> addresses = new LinkedHashSet<>();
    for (String entry : to) {
      if (entry.startsWith(LIST_PREFIX)) {
        addresses.addAll(members(entry.substring(LIST_PREFIX.length()), at));
      } else {
        addresses.add(entry);
      }
    }
    return addresses.stream().map(Recipients::address).toList();
  }

  /** Every address {@code to} may ever resolve to, a rota's stand-ins included. */
  public List<InternetAddress> everyone(List<String> to) {
    Set<String> addresses = new LinkedHashSet<>();
    for (String entry : to) {
      if (!entry.startsWith(LIST_PREFIX)) {
        addresses.add(entry);
      } else {
        String name = entry.substring(LIST_PREFIX.length());
        rota(name)
            .ifPresentOrElse(
                r -> addresses.addAll(r.everyone()), () -> addresses.addAll(list(name)));
      }
    }
    return addresses.stream().map(Recipients::address).toList();
  }

  /** True if {@code to} names a rota, so that its addresses depend on the instant. */
  public boolean varies(List<String> to) {
    return to.stream()
        .anyMatch(
            e -> e.startsWith(LIST_PREFIX) && rotas.containsKey(e.substring(LIST_PREFIX.length())));
  }

  /** The rota called {@code name}; empty for a plain list or none. */
  public Optional<Rota> rota(String name) {
    return Optional.ofNullable(rotas.get(name));
  }

  private List<String> members(String name, Instant at) {
    Rota r = rotas.get(name);
    return r != null ? r.at(at).members() : list(name);
  }

  private List<String> list(String name) {
    List<String> l = plain.get(name);
    if (l == null) {
      throw new IllegalArgumentException("no list " + name + " in the configuration");
    }
    return l;
  }

  private static InternetAddress address(String validated) {
    try {
      return new InternetAddress(validated, true);
    } catch (AddressException e) {
      // ConfigValidator checked every recipient with the stricter SMTP grammar.
      throw new IllegalStateException(
          "recipient passed validation but not parsing: " + validated, e);
    }
  }
}

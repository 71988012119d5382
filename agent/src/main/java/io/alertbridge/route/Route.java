package io.alertbridge.route;

import io.alertbridge.config.MatchSettings;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.event.AlertEvent;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A compiled route: its matchers, its recipients and its template. Recipients are resolved when a
 * mail is sent, since a rota's members change with the time.
 */
public final class Route {
  private final String name;
  private final Function<Instant, List<InternetAddress>> recipients;
  private final List<InternetAddress> everyone;
  private final String template;
  private final boolean continueMatching;
  private final Matchers matchers;

  private Route(
      String name,
      Function<Instant, List<InternetAddress>> recipients,
      List<InternetAddress> everyone,
      String template,
      boolean continueMatching,
      Matchers matchers) {
    this.name = name;
    this.recipients = recipients;
    this.everyone = List.copyOf(everyone);
    this.template = template;
    this.continueMatching = continueMatching;
    this.matchers = matchers;
  }

  /** The compiled form of a {@link MatchSettings}. */
  private record Matchers(
      ValueMatcher severity,
      ValueMatcher status,
      ValueMatcher type,
      ValueMatcher source,
      Map<String, ValueMatcher> labels) {
    static Matchers of(MatchSettings m) {
      Map<String, ValueMatcher> labels = new LinkedHashMap<>();
      m.labels().forEach((k, v) -> labels.put(k, ValueMatcher.of(v, false)));
      return new Matchers(
          ValueMatcher.of(m.severity(), true),
          ValueMatcher.of(m.status(), true),
          ValueMatcher.of(m.type(), false),
          ValueMatcher.of(m.source(), false),
          Map.copyOf(labels));
    }

    boolean test(AlertEvent e) {
      if (!severity.test(e.severity().toString())
          || !status.test(e.status().toString())
          || !type.test(e.type())
          || !source.test(e.source())) {
        return false;
      }
      for (Map.Entry<String, ValueMatcher> l : labels.entrySet()) {
        // A route that names a label requires the event to carry it.
        if (!e.labels().containsKey(l.getKey()) || !l.getValue().test(e.labels().get(l.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  static Route of(RouteSettings s, Recipients lists) {
    List<InternetAddress> everyone = lists.everyone(s.to());
    // Most routes name no rota: their addresses are resolved once, not for every mail.
    Function<Instant, List<InternetAddress>> at =
        lists.varies(s.to()) ? t -> lists.resolve(s.to(), t) : t -> everyone;
    return new Route(
        s.name(), at, everyone, s.template(), s.continueMatching(), Matchers.of(s.match()));
  }

  /** A route that takes every event to the given recipients, for mail outside the routing table. */
  public static Route direct(String name, List<InternetAddress> recipients, String template) {
    List<InternetAddress> fixed = List.copyOf(recipients);
    return new Route(name, t -> fixed, fixed, template, false, Matchers.of(MatchSettings.ANY));
  }

  public String name() {
    return name;
  }

  /** Who a mail of this route sent at {@code at} goes to: a rota's watch then. */
  public List<InternetAddress> recipients(Instant at) {
    return recipients.apply(at);
  }

  /** Everyone a mail of this route may ever go to, for checks of the whole configuration. */
  public List<InternetAddress> everyone() {
    return everyone;
  }

  public String template() {
    return template;
  }

  public boolean continueMatching() {
    return continueMatching;
  }

  public boolean matches(AlertEvent event) {
    return matchers.test(event);
  }

  @Override
  public String toString() {
    return "Route[" + name + " -> " + everyone + ", template " + template + "]";
  }
}

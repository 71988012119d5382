package io.alertbridge.route;

import io.alertbridge.config.MatchSettings;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.event.AlertEvent;
import jakarta.mail.internet.InternetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compiled route: its matchers, its expanded recipients and its template. */
public final class Route {
  private final String name;
  private final List<InternetAddress> recipients;
  private final String template;
  private final boolean continueMatching;
  private final Matchers matchers;

  private Route(
      String name,
      List<InternetAddress> recipients,
      String template,
      boolean continueMatching,
      Matchers matchers) {
    this.name = name;
    this.recipients = List.copyOf(recipients);
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

  static Route of(RouteSettings s, List<InternetAddress> recipients) {
    return new Route(
        s.name(), recipients, s.template(), s.continueMatching(), Matchers.of(s.match()));
  }

  /** A route that takes every event to the given recipients, for mail outside the routing table. */
  public static Route direct(String name, List<InternetAddress> recipients, String template) {
    return new Route(name, recipients, template, false, Matchers.of(MatchSettings.ANY));
  }

  public String name() {
    return name;
  }

  public List<InternetAddress> recipients() {
    return recipients;
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
    return "Route[" + name + " -> " + recipients + ", template " + template + "]";
  }
}

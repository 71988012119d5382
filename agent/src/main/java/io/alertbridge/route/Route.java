package io.alertbridge.route;

import io.alertbridge.config.MatchSettings;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.event.AlertEvent;
import jakarta.mail.internet.InternetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A compiled route: its matchers, its expanded recipients and its template. */
public record Route(
    String name,
    List<InternetAddress> recipients,
    String template,
    boolean continueMatching,
    ValueMatcherSet matchers) {

  /** The compiled form of a {@link MatchSettings}. */
  record ValueMatcherSet(
      ValueMatcher severity,
      ValueMatcher status,
      ValueMatcher type,
      ValueMatcher source,
      Map<String, ValueMatcher> labels) {
    static ValueMatcherSet of(MatchSettings m) {
      Map<String, ValueMatcher> labels = new LinkedHashMap<>();
      m.labels().forEach((k, v) -> labels.put(k, ValueMatcher.of(v, false)));
      return new ValueMatcherSet(
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
        s.name(),
        List.copyOf(recipients),
        s.template(),
        s.continueMatching(),
        ValueMatcherSet.of(s.match()));
  }

  /** A route that takes every event to the given recipients, for mail outside the routing table. */
  public static Route direct(String name, List<InternetAddress> recipients, String template) {
    return new Route(
        name, List.copyOf(recipients), template, false, ValueMatcherSet.of(MatchSettings.ANY));
  }

  public boolean matches(AlertEvent event) {
    return matchers.test(event);
  }
}

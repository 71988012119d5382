package io.alertbridge.web;

import static io.alertbridge.web.StatusPage.esc;
import static io.alertbridge.web.StatusPage.time;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The status page's open incidents: who acknowledged each, or that nobody did yet, and how far its
 * escalation went. Newest first: on a bad night the incident that just began is the one to look at.
 */
final class IncidentSection {
  /** Rows shown at most; a storm can open thousands of groups, and the metrics count them all. */
  static final int MAX_ROWS = 100;

  private IncidentSection() {}

  static void render(StringBuilder h, List<StatusPage.Incident> incidents) {
    List<StatusPage.Incident> all =
        incidents.stream()
            .sorted(
                Comparator.comparing(
                    StatusPage.Incident::since, Comparator.nullsLast(Comparator.reverseOrder())))
            .toList();
    long open = all.stream().filter(i -> i.ackBy() == null).count();
    h.append("<h2 id=\"incidents-heading\">Open incidents: ")
        .append(all.size())
        .append(", unacknowledged: ")
        .append(open)
        .append("</h2><table id=\"incidents\"><tr><th>route</th><th>labels</th><th>since</th>")
        .append("<th>firing</th><th>acknowledged</th><th>escalation</th></tr>");
    for (StatusPage.Incident i : all.subList(0, Math.min(MAX_ROWS, all.size()))) {
      h.append("<tr title=\"")
          .append(esc(i.group()))
          .append("\"><td>")
          .append(esc(i.route()))
          .append("</td><td><code>")
          .append(esc(labels(i.labels())))
          .append("</code></td><td>")
          .append(esc(time(i.since())));
      if (i.firstMail() != null) {
        h.append("<br>first mail ").append(esc(time(i.firstMail())));
      }
      h.append("</td><td>").append(i.firing()).append("</td>");
      acknowledged(h, i);
      h.append("<td>")
          .append(i.steps() == 0 ? "-" : "step " + i.escalated() + " of " + i.steps())
          .append("</td></tr>");
    }
    h.append("</table>");
    if (all.size() > MAX_ROWS) {
      h.append("<p id=\"incidents-more\">and ").append(all.size() - MAX_ROWS).append(" more</p>");
    }
  }

  private static void acknowledged(StringBuilder h, StatusPage.Incident i) {
    if (i.ackBy() == null) {
      h.append("<td class=\"bad\">unacknowledged</td>");
      return;
    }
    h.append("<td class=\"ok\">by ")
        .append(esc(i.ackBy()))
        .append("<br>at ")
        .append(esc(time(i.ackAt())))
        .append(" by ")
        .append(esc(i.ackChannel()))
        .append("<br>")
        .append(i.ackUntil() == null ? "until resolved" : "until " + esc(time(i.ackUntil())))
        .append("</td>");
  }

  /** As Prometheus writes them, so a value with spaces reads as one. */
  private static String labels(Map<String, String> labels) {
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=\"" + (e.getValue() == null ? "" : e.getValue()) + "\"")
        .collect(Collectors.joining(" "));
  }
}

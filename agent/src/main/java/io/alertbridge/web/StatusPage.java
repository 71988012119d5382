package io.alertbridge.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The status page at {@code /}: server-rendered HTML, no script, no external resource, so it works
 * offline on a plant network. Every value is HTML-escaped: event data is hostile.
 */
public final class StatusPage {
  /** What the page shows; the daemon provides it. */
  public interface Source {
    String version();

    Duration uptime();

    List<Server> servers();

    List<Partition> partitions();

    /** The last audit records, newest first. */
    List<Line> recent();

    /**
     * Audit lines whose event id, Message-ID or queue ID is {@code query}, as far as a bounded
     * search reaches.
     */
    Found search(String query) throws IOException;

    /** The policy's open incidents with their acknowledgement; none on the direct path. */
    default List<Incident> incidents() {
      return List.of();
    }
  }

  /**
   * An open incident: a group with firing alerts, as the policy holds it.
   *
   * @param group the group key
   * @param labels the labels the group is keyed by
   * @param since when the incident began
   * @param firing how many of its alerts fire now
   * @param firstMail when its first mail was sent; null before that
   * @param ackBy who acknowledged it; null when nobody did (or it expired)
   * @param ackChannel how: {@code reply} or {@code link}
   * @param ackUntil when the acknowledgement ends; null for when the incident resolves
   * @param escalated escalation steps already sent
   * @param steps escalation steps the route has
   */
  public record Incident(
      String route,
      String group,
      Map<String, String> labels,
      Instant since,
      int firing,
      Instant firstMail,
      String ackBy,
      Instant ackAt,
      String ackChannel,
      Instant ackUntil,
      int escalated,
      int steps) {
    public Incident {
      // Sorted, so the page lists them alike each time; a null value stays shown as empty.
      labels =
          labels == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    }
  }

  /**
   * What a search found.
   *
   * @param note null when the search covered the whole log; else why it did not
   */
  public record Found(List<Line> lines, String note) {}

  public record Server(String name, String state, int busy, int max, String lastReply) {}

  public record Partition(String topic, int partition, long lag, int inFlight, boolean paused) {}

  public record Line(
      String time,
      String status,
      String eventIds,
      String route,
      String recipients,
      String reply,
      String queueId,
      String messageId) {}

  private StatusPage() {}

  /**
   * @param silences the silences section, already rendered; empty when there is none to show
   */
  static String render(Source s, String query, String silences) throws IOException {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>alertbridge</title><style>")
        .append("body{font-family:sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin-bottom:1.5em;font-size:90%}")
        .append("th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}")
        .append("th{background:#eee}.bad{color:#b00020;font-weight:bold}.ok{color:#2e7d32}")
        .append("code{font-size:95%}")
        .append("</style></head><body>");
    h.append("<h1>alertbridge</h1><p>version <code>")
        .append(esc(s.version()))
        .append("</code>, up ")
        .append(esc(format(s.uptime())))
        .append("</p>");

    h.append("<form method=\"get\" action=\"/\"><label for=\"q\">Find an alert by event id,")
        .append(" Message-ID or queue ID</label> <input id=\"q\" name=\"q\" size=\"48\" value=\"")
        .append(esc(query == null ? "" : query))
        .append("\"> <button type=\"submit\">Search</button></form>");
    if (query != null && !query.isBlank()) {
      Found found = s.search(query.trim());
      h.append("<h2 id=\"results\">Search: ").append(found.lines().size()).append(" line(s)</h2>");
      if (found.note() != null) {
        h.append("<p id=\"search-note\" class=\"bad\">").append(esc(found.note())).append("</p>");
      }
      lines(h, found.lines(), "found");
    }
    h.append(silences);
    IncidentSection.render(h, s.incidents());

    h.append("<h2>SMTP servers</h2><table id=\"servers\"><tr><th>server</th><th>circuit</th>")
        .append("<th>connections busy / max</th><th>last reply</th></tr>");
    for (Server v : s.servers()) {
      h.append("<tr><td>")
          .append(esc(v.name()))
          .append("</td><td class=\"")
          .append(v.state().equals("closed") ? "ok" : "bad")
          .append("\">")
          .append(esc(v.state()))
          .append("</td><td>")
          .append(v.busy())
          .append(" / ")
          .append(v.max())
          .append("</td><td><code>")
          .append(esc(v.lastReply() == null ? "-" : v.lastReply()))
          .append("</code></td></tr>");
    }
    h.append("</table>");

    h.append("<h2>Partitions</h2><table id=\"partitions\"><tr><th>topic</th><th>partition</th>")
        .append("<th>lag</th><th>in flight</th><th>paused</th></tr>");
    for (Partition p : s.partitions()) {
      h.append("<tr><td>")
          .append(esc(p.topic()))
          .append("</td><td>")
          .append(p.partition())
          .append("</td><td>")
          .append(p.lag() < 0 ? "?" : Long.toString(p.lag()))
          .append("</td><td>")
          .append(p.inFlight())
          .append("</td><td>")
          .append(p.paused() ? "<span class=\"bad\">paused</span>" : "no")
          .append("</td></tr>");
    }
    h.append("</table>");

    h.append("<h2>Last audit records</h2>");
    lines(h, s.recent(), "recent");
    h.append("<p><a href=\"/metrics\">/metrics</a> · <a href=\"/healthz\">/healthz</a> · ")
        .append("<a href=\"/readyz\">/readyz</a></p></body></html>\n");
    return h.toString();
  }

  private static void lines(StringBuilder h, List<Line> lines, String id) {
    h.append("<table id=\"")
        .append(id)
        .append("\"><tr><th>time</th><th>status</th><th>events</th><th>route</th>")
        .append(
            "<th>recipients</th><th>reply or reason</th><th>queue ID</th><th>Message-ID</th></tr>");
    for (Line l : lines) {
      h.append("<tr><td>")
          .append(esc(l.time()))
          .append("</td><td>")
          .append(esc(l.status()))
          .append("</td><td>")
          .append(esc(l.eventIds()))
          .append("</td><td>")
          .append(esc(l.route()))
          .append("</td><td>")
          .append(esc(l.recipients()))
          .append("</td><td>")
          .append(esc(l.reply()))
          .append("</td><td class=\"queue-id\"><code>")
          .append(esc(l.queueId()))
          .append("</code></td><td><code>")
          .append(esc(l.messageId()))
          .append("</code></td></tr>");
    }
    h.append("</table>");
  }

  static String format(Duration d) {
    long s = d.toSeconds();
    return s < 3600
        ? (s / 60) + " min " + (s % 60) + " s"
        : (s / 86400 > 0 ? (s / 86400) + " d " : "")
            + ((s % 86400) / 3600)
            + " h "
            + ((s % 3600) / 60)
            + " min";
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** A time as the page shows it: in UTC, which every watch on a plant network agrees on. */
  static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** HTML-escapes text for element content and double-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}

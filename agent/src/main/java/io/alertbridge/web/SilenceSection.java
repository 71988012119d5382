package io.alertbridge.web;

import static io.alertbridge.web.StatusPage.esc;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The status page's silences: those in force and those planned, and, when {@code http.auth} is
 * configured, the forms that add and expire them (plain HTML forms: the page runs no script).
 */
final class SilenceSection {
  /**
   * Rows shown at most: the store allows thousands of silences, and a page of thousands of rows
   * helps nobody; the API and the CLI list them all.
   */
  static final int MAX_ROWS = 200;

  private SilenceSection() {}

  /**
   * @param csrf the token for this page's forms; null when writes are disabled
   */
  static void render(StringBuilder h, List<Silence> all, Instant now, String csrf) {
    List<Silence> shown =
        all.stream()
            .filter(s -> s.state(now) != Silence.State.EXPIRED)
            .sorted(
                Comparator.comparing((Silence s) -> s.state(now) != Silence.State.ACTIVE)
                    .thenComparing(
                        s -> s.state(now) == Silence.State.ACTIVE ? s.endsAt() : s.startsAt()))
            .toList();
    h.append("<h2 id=\"silences-heading\">Silences: ").append(shown.size()).append("</h2>");
    if (shown.size() > MAX_ROWS) {
      h.append("<p id=\"silences-note\" class=\"bad\">Showing the first ")
          .append(MAX_ROWS)
          .append(" (active ending soonest, then pending starting soonest); ")
          .append("<code>alertbridge silence list</code> or <code>amtool silence query</code>")
          .append(" lists them all.</p>");
      shown = shown.subList(0, MAX_ROWS);
    }
    if (csrf != null) {
      h.append("<form method=\"post\" action=\"").append(SilenceForms.EXPIRE).append("\">");
      hidden(h, csrf);
    }
    h.append("<table id=\"silences\"><tr><th>matchers</th><th>state</th><th>author</th>")
        .append("<th>comment</th><th>time</th>")
        .append(csrf != null ? "<th></th>" : "")
        .append("</tr>");
    for (Silence s : shown) {
      h.append("<tr><td><code>")
          .append(
              esc(s.matchers().stream().map(Matcher::toString).collect(Collectors.joining(" "))))
          .append("</code></td><td>")
          .append(s.state(now).wireName())
          .append("</td><td>")
          .append(esc(s.createdBy()))
          .append("</td><td>")
          .append(esc(s.comment()))
          .append("</td><td>")
          .append(esc(when(s, now)))
          .append("</td>");
      if (csrf != null) {
        h.append("<td><button type=\"submit\" name=\"id\" value=\"")
            .append(esc(s.id()))
            .append("\">Expire</button></td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    if (csrf == null) {
      h.append("<p>Adding and expiring silences here needs <code>http.auth.tokens-file</code>")
          .append(" in the configuration.</p>");
      return;
    }
    token(h, "expire-token");
    h.append("</form>");
    addForm(h, csrf);
  }

  private static void addForm(StringBuilder h, String csrf) {
    h.append("<h3>Add a silence</h3><form method=\"post\" action=\"")
        .append(SilenceForms.ADD)
        .append("\" id=\"add-silence\">");
    hidden(h, csrf);
    h.append("<p><label for=\"matchers\">Matchers, one per line or separated by spaces (")
        .append("<code>labels.sensor=T3 severity=~\"critical|major\"</code>)</label><br>")
        .append("<textarea id=\"matchers\" name=\"matchers\" rows=\"3\" cols=\"60\" required>")
        .append("</textarea></p><p><label for=\"duration\">Duration</label> ")
        .append("<input id=\"duration\" name=\"duration\" value=\"2h\" size=\"8\" required> ")
        .append("<label for=\"comment\">Comment</label> ")
        .append("<input id=\"comment\" name=\"comment\" size=\"48\" required> ")
        .append("<label><input type=\"checkbox\" name=\"expire-on-resolve\" value=\"1\">")
        .append(" expire when its alerts resolve</label></p><p>");
    token(h, "add-token");
    h.append(" <button type=\"submit\" id=\"add-button\">Add silence</button></p></form>");
  }

  private static void hidden(StringBuilder h, String csrf) {
    h.append("<input type=\"hidden\" name=\"")
        .append(Csrf.FIELD)
        .append("\" value=\"")
        .append(esc(csrf))
        .append("\">");
  }

  /** A password field, always empty: the page never shows a token back. */
  private static void token(StringBuilder h, String id) {
    h.append("<label for=\"")
        .append(id)
        .append("\">Token (from http.auth; you are its holder)</label> <input type=\"password\"")
        .append(" id=\"")
        .append(id)
        .append("\" name=\"token\" autocomplete=\"current-password\" required>");
  }

  private static String when(Silence s, Instant now) {
    return s.state(now) == Silence.State.PENDING
        ? "starts in " + StatusPage.format(Duration.between(now, s.startsAt()))
        : "ends in " + StatusPage.format(Duration.between(now, s.endsAt()));
  }
}

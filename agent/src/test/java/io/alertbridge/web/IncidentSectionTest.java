package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status page's open incidents: acknowledged or not, escaped, newest first, bounded. */
class IncidentSectionTest {
  private static final Instant T = Instant.parse("2026-12-01T03:00:00Z");

  /** A status source that shows only these incidents. */
  private record Showing(List<StatusPage.Incident> incidents) implements StatusPage.Source {
    @Override
    public String version() {
      return "1.4.0";
    }

    @Override
    public Duration uptime() {
      return Duration.ofMinutes(5);
    }

    @Override
    public List<StatusPage.Server> servers() {
      return List.of();
    }

    @Override
    public List<StatusPage.Partition> partitions() {
      return List.of();
    }

    @Override
    public List<StatusPage.Line> recent() {
      return List.of();
    }

    @Override
    public StatusPage.Found search(String query) {
      return new StatusPage.Found(List.of(), null);
    }
  }

  private static StatusPage.Incident unacknowledged(String route, Instant since) {
    return new StatusPage.Incident(
        route,
        route + "/{sensor=\"T3\"}",
        Map.of("sensor", "T3"),
        since,
        2,
        since.plusSeconds(30),
        null,
        null,
        null,
        null,
        1,
        2);
  }

  private static String table(String page) {
    int start = page.indexOf("<h2 id=\"incidents-heading\">");
    return page.substring(start, page.indexOf("</table>", start));
  }

  @Test
  void showsWhoAcknowledgedAnIncidentAndThatNobodyAcknowledgedTheOther() throws Exception {
    StatusPage.Incident acked =
        new StatusPage.Incident(
            "engine-critical",
            "engine-critical/{site=\"north\"}",
            Map.of("site", "north <yard>", "alertname", "Overheat"),
            T,
            3,
            T.plusSeconds(5),
            "chief.engineer@plant.example",
            T.plusSeconds(720),
            "reply",
            null,
            0,
            2);

    String page =
        StatusPage.render(
            new Showing(List.of(acked, unacknowledged("ballast", T.plusSeconds(60)))), null, "");

    assertThat(table(page))
        .contains("Open incidents: 2, unacknowledged: 1")
        .contains("<td>engine-critical</td>")
        .contains("<code>alertname=&quot;Overheat&quot; site=&quot;north &lt;yard&gt;&quot;</code>")
        .contains("<td>2026-12-01 03:00:00 UTC<br>first mail 2026-12-01 03:00:05 UTC</td>")
        .contains(
            "<td class=\"ok\">by chief.engineer@plant.example<br>at 2026-12-01 03:12:00 UTC"
                + " by reply<br>until resolved</td><td>step 0 of 2</td>")
        .contains("<td class=\"bad\">unacknowledged</td><td>step 1 of 2</td>")
        .doesNotContain("<yard>");
    // Newest first.
    assertThat(table(page).indexOf("ballast")).isLessThan(table(page).indexOf("engine-critical"));
  }

  @Test
  void hostileValuesAreEscapedEverywhere() throws Exception {
    StatusPage.Incident hostile =
        new StatusPage.Incident(
            "<script>alert(1)</script>",
            "\"><script>",
            Map.of("x", "<img src=x onerror=alert(1)>"),
            T,
            1,
            null,
            "<b>mallory</b>@example",
            T,
            "<i>link</i>",
            T.plusSeconds(7200),
            0,
            0);

    String table = table(StatusPage.render(new Showing(List.of(hostile)), null, ""));

    assertThat(table)
        .doesNotContain("<script")
        .doesNotContain("<img")
        .doesNotContain("<b>")
        .doesNotContain("<i>")
        .contains("title=\"&quot;&gt;&lt;script&gt;\"")
        .contains("by &lt;b&gt;mallory&lt;/b&gt;@example")
        .contains("until 2026-12-01 05:00:00 UTC</td><td>-</td>");
  }

  @Test
  void showsTheNewestHundredAndCountsTheRest() throws Exception {
    List<StatusPage.Incident> many = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      many.add(unacknowledged("route-" + i, T.plusSeconds(i)));
    }

    String page = StatusPage.render(new Showing(many), null, "");

    assertThat(table(page)).contains("route-104").contains("route-5<").doesNotContain("route-4<");
    assertThat(page).contains("<p id=\"incidents-more\">and 5 more</p>");
  }

  @Test
  void aSourceWithoutIncidentsShowsNone() throws Exception {
    String page = StatusPage.render(new OperatorServer.EmptySource(), null, "");

    assertThat(table(page)).contains("Open incidents: 0, unacknowledged: 0");
    assertThat(page).doesNotContain("incidents-more");
  }
}

package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The status page's silence forms over real sockets: what they do, and what they refuse. */
class SilenceFormsTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"");

  private OperatorServer op;

  @AfterEach
  void close() {
    if (op != null) {
      op.close();
    }
  }

  private String page() throws Exception {
    RawHttp.Reply r = RawHttp.request(op.page(), "GET", "/", null);
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  private String csrf() throws Exception {
    java.util.regex.Matcher m = CSRF.matcher(page());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String form(String... pairs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.append(b.isEmpty() ? "" : "&")
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  private RawHttp.Reply submit(String path, String body, String... headers) throws Exception {
    String[] all = new String[headers.length + 1];
    all[0] = "Content-Type: application/x-www-form-urlencoded";
    System.arraycopy(headers, 0, all, 1, headers.length);
    return RawHttp.request(op.page(), "POST", path, body, all);
  }

  private String origin() {
    return "Origin: http://" + op.page().getAddress().getHostAddress() + ":" + op.page().getPort();
  }

  private String addForm(String csrf, String token) {
    return form(
        "csrf", csrf,
        "matchers", "labels.sensor=T3\nseverity=~\"critical|major\" labels.site=\"north yard\"",
        "duration", "1h30m",
        "comment", "T3 <replaced>",
        "token", token);
  }

  @Test
  void theAddFormCreatesASilenceByTheTokensHolderAndRedirectsToThePage() throws Exception {
    op = new OperatorServer(true);

    RawHttp.Reply r =
        submit(
            "/silences",
            addForm(csrf(), OperatorServer.BOB),
            origin(),
            "Sec-Fetch-Site: same-origin");

    assertThat(r.status()).isEqualTo(303);
    assertThat(r.headers().get("location")).isEqualTo("/#silences");
    Silence s = op.store.all().get(0);
    assertThat(s.matchers())
        .containsExactly(
            Matcher.parse("labels.sensor=T3"),
            Matcher.parse("severity=~\"critical|major\""),
            Matcher.parse("labels.site=\"north yard\""));
    assertThat(s.createdBy()).isEqualTo("bob");
    assertThat(Duration.between(s.startsAt(), s.endsAt())).isEqualTo(Duration.ofMinutes(90));
    String page = page();
    assertThat(page)
        .contains("labels.sensor=&quot;T3&quot;")
        .contains("T3 &lt;replaced&gt;")
        .contains("ends in 1 h 29 min")
        .doesNotContain(OperatorServer.BOB);
  }

  @Test
  void theExpireButtonEndsTheSilence() throws Exception {
    op = new OperatorServer(true);
    Instant now = Instant.now();
    Silence s =
        op.store.add(
            List.of(Matcher.parse("labels.sensor=T3")),
            now,
            now.plusSeconds(3600),
            "alice",
            "x",
            false);

    RawHttp.Reply r =
        submit(
            "/silences/expire",
            form("csrf", csrf(), "id", s.id(), "token", OperatorServer.ALICE),
            origin());

    assertThat(r.status()).isEqualTo(303);
    assertThat(op.store.unexpired()).isEmpty();
    assertThat(op.log.lines()).containsExactly("expired " + s.id() + " by alice");
  }

  @Test
  void aCrossSitePostIsForbiddenAndCreatesNothingEvenWithTokenAndCsrf() throws Exception {
    op = new OperatorServer(true);
    String csrf = csrf();

    RawHttp.Reply fetchMeta =
        submit("/silences", addForm(csrf, OperatorServer.ALICE), "Sec-Fetch-Site: cross-site");
    RawHttp.Reply otherOrigin =
        submit("/silences", addForm(csrf, OperatorServer.ALICE), "Origin: http://evil.example");
    RawHttp.Reply noCsrf = submit("/silences", addForm("", OperatorServer.ALICE), origin());

    assertThat(fetchMeta.status()).isEqualTo(403);
    assertThat(otherOrigin.status()).isEqualTo(403);
    assertThat(noCsrf.status()).isEqualTo(403);
    assertThat(noCsrf.body()).startsWith("form expired or not from this page");
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void aWrongTokenIsUnauthorizedAndNeverShownBack() throws Exception {
    op = new OperatorServer(true);

    RawHttp.Reply r =
        submit("/silences", addForm(csrf(), "guess-" + OperatorServer.ALICE), origin());

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.raw()).doesNotContain(OperatorServer.ALICE);
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void aBadMatcherOrDurationIsABadRequestSayingWhy() throws Exception {
    op = new OperatorServer(true);
    String csrf = csrf();

    RawHttp.Reply everything =
        submit(
            "/silences",
            form(
                "csrf",
                csrf,
                "matchers",
                "labels.x=~\".*\"",
                "duration",
                "2h",
                "comment",
                "c",
                "token",
                OperatorServer.ALICE),
            origin());
    RawHttp.Reply badDuration =
        submit(
            "/silences",
            form(
                "csrf",
                csrf,
                "matchers",
                "labels.x=1",
                "duration",
                "two hours",
                "comment",
                "c",
                "token",
                OperatorServer.ALICE),
            origin());

    assertThat(everything.status()).isEqualTo(400);
    assertThat(everything.body()).contains("would match every alert");
    assertThat(badDuration.body())
        .isEqualTo("duration two hours: write it like 2h, 30m or 1d12h\n");
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void withoutHttpAuthThePageListsSilencesWithoutFormsAndPostsAreForbidden() throws Exception {
    op = new OperatorServer(false);
    Instant now = Instant.now();
    op.store.add(
        List.of(Matcher.parse("labels.sensor=T3")),
        now.plusSeconds(600),
        now.plusSeconds(3600),
        "alice",
        "<b>planned</b>",
        false);

    String page = page();
    RawHttp.Reply post = submit("/silences", addForm("x", OperatorServer.ALICE), origin());

    assertThat(page)
        .contains("&lt;b&gt;planned&lt;/b&gt;")
        .contains("pending")
        .contains("starts in 9 min")
        .doesNotContain("<form method=\"post\"")
        .doesNotContain("name=\"csrf\"");
    assertThat(post.status()).isEqualTo(403);
  }

  @Test
  void thePageShowsActiveSilencesFirstAndAtMostTwoHundredRows() throws Exception {
    op = new OperatorServer(true);
    Instant now = Instant.now();
    op.store.add(
        List.of(Matcher.parse("labels.sensor=planned")),
        now.plusSeconds(60),
        now.plusSeconds(7200),
        "a",
        "",
        false);
    for (int i = 0; i < 210; i++) {
      op.store.add(
          List.of(Matcher.parse("labels.sensor=S" + i)),
          now,
          now.plusSeconds(3600 + i),
          "a",
          "",
          false);
    }

    String page = page();

    assertThat(page).contains("Silences: 211").contains("id=\"silences-note\"");
    assertThat(page.split("<button type=\"submit\" name=\"id\"", -1)).hasSize(201);
    assertThat(page.indexOf("S0&quot;")).isLessThan(page.indexOf("S199&quot;"));
    assertThat(page).doesNotContain("S200&quot;").doesNotContain("planned");
  }

  @Test
  void durationsAndMatcherListsReadAsTheCliWritesThem() {
    assertThat(SilenceForms.duration("1d12h")).isEqualTo(Duration.ofHours(36));
    assertThat(SilenceForms.duration("45m30s")).isEqualTo(Duration.ofSeconds(2730));
    assertThatThrownBy(() -> SilenceForms.duration("-1h")).isInstanceOf(MatcherException.class);
    assertThat(SilenceForms.words(" a=1\n b=\"x y\"  c=\"q\\\"z\" "))
        .containsExactly("a=1", "b=\"x y\"", "c=\"q\\\"z\"");
  }
}

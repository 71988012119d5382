package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.alertbridge.ManualClock;
import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.ResponseWriter;
import io.alertbridge.ack.TokenKey;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The acknowledge link's page over real sockets: GET shows, only a same-site POST writes. */
class AckPageTest {
  private static final String RECIPIENT = "chief.engineer@plant.example";
  private static final Instant NOW = Instant.parse("2026-12-01T03:12:00Z");
  private static final IncidentRef REF =
      IncidentRef.of(3, "engine-critical/{site=\"north\"}", NOW.minusSeconds(600).toEpochMilli());

  private final ManualClock clock = new ManualClock(NOW);
  private final AckLinks links =
      new AckLinks(TokenKey.of("k".repeat(TokenKey.MIN_BYTES).getBytes(), "test"));
  private final Recording writer = new Recording();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private WebServer server;

  /** Keeps what it was asked to write; fails each write while {@code failing}. */
  private static final class Recording implements ResponseWriter {
    record Call(IncidentRef ref, Response response) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void write(IncidentRef ref, Response response) throws Exception {
      if (failing) {
        throw new java.io.IOException("broker unreachable");
      }
      calls.add(new Call(ref, response));
    }
  }

  @BeforeEach
  void start() throws Exception {
    logs.start();
    root().addAppender(logs);
    server = serve(new AckPage.Links(links, writer, clock));
  }

  @AfterEach
  void stop() {
    root().detachAppender(logs);
    server.close();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static WebServer serve(AckPage.Links l) throws Exception {
    WebServer s =
        WebServer.bind(
            List.of(
                new WebServer.Listener("http.listen", loopback(), true),
                new WebServer.Listener("http.metrics-listen", loopback(), false)),
            new HttpLimits(Duration.ofSeconds(2), Duration.ofSeconds(5), 16, 4096, 64 * 1024));
    s.start(
        new PrometheusRegistry(),
        new OperatorServer.Up(),
        new OperatorServer.EmptySource(),
        null,
        l);
    return s;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  private InetSocketAddress page() {
    return server.addresses().get(0);
  }

  private String token(Duration valid) {
    return links.issue(REF, RECIPIENT, AckLinks.Action.ACK, NOW.plus(valid));
  }

  private RawHttp.Reply get(String token) throws Exception {
    return RawHttp.request(page(), "GET", "/ack/" + token, null);
  }

  /** The POST a browser makes from the page: same origin, from a no-referrer page. */
  private RawHttp.Reply post(String token, String... headers) throws Exception {
    String[] all = new String[headers.length + 1];
    all[0] = "Content-Type: application/x-www-form-urlencoded";
    System.arraycopy(headers, 0, all, 1, headers.length);
    return RawHttp.request(page(), "POST", "/ack/" + token, "", all);
  }

  private String origin() {
    return "Origin: http://" + page().getAddress().getHostAddress() + ":" + page().getPort();
  }

  @Test
  void getShowsWhomTheLinkWasSentToAndAFormThatPostsItButWritesNothing() throws Exception {
    String token = token(Duration.ofDays(7));

    RawHttp.Reply r = get(token);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .contains("<strong id=\"recipient\">" + RECIPIENT + "</strong>")
        .contains("began at <strong>2026-12-01 03:02:00 UTC</strong>")
        .contains("The link is valid until 2026-12-08 03:12:00 UTC.")
        .contains("<form method=\"post\" action=\"" + token + "\">")
        .contains("<button type=\"submit\" id=\"ack-button\">Acknowledge</button>")
        .doesNotContain("<script");
    // The token is in the form's action only, never shown as text.
    assertThat(r.body().replace("action=\"" + token + "\"", "")).doesNotContain(token);
    assertThat(r.headers())
        .containsEntry("cache-control", "no-store")
        .containsEntry("referrer-policy", "no-referrer")
        .containsEntry("content-security-policy", WebServer.CSP);
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void headChangesNothingEither() throws Exception {
    RawHttp.Reply r = RawHttp.request(page(), "HEAD", "/ack/" + token(Duration.ofDays(7)), null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void aSameOriginPostWritesExactlyOneClickForTheLinksIncident() throws Exception {
    String token = token(Duration.ofDays(7));

    RawHttp.Reply r = post(token, origin(), "Sec-Fetch-Site: same-origin");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "Acknowledgement sent for "
                + RECIPIENT
                + "; everyone who got the alert will receive a confirmation by mail.");
    assertThat(r.headers()).containsEntry("referrer-policy", "no-referrer");
    assertThat(writer.calls)
        .containsExactly(new Recording.Call(REF, new Response.Click(token, NOW.toEpochMilli())));
  }

  @Test
  void thePagesOwnPostCountsThoughItsNoReferrerPolicyNullsTheOrigin() throws Exception {
    RawHttp.Reply r =
        post(token(Duration.ofDays(7)), "Origin: null", "Sec-Fetch-Site: same-origin");

    assertThat(r.status()).isEqualTo(200);
    assertThat(writer.calls).hasSize(1);
  }

  @Test
  void anAlteredTokenIsRefusedWith400AndWritesNothing() throws Exception {
    String token = token(Duration.ofDays(7));
    char c = token.charAt(20);
    String altered = token.substring(0, 20) + (c == 'A' ? 'B' : 'A') + token.substring(21);

    RawHttp.Reply shown = get(altered);
    RawHttp.Reply posted = post(altered, origin());

    assertThat(shown.status()).isEqualTo(400);
    assertThat(shown.body()).contains("the link is damaged or was altered").doesNotContain("<form");
    assertThat(posted.status()).isEqualTo(400);
    assertThat(get("not-a-token!").status()).isEqualTo(400);
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void anExpiredLinkIsGoneAndWritesNothing() throws Exception {
    String token = token(Duration.ofHours(1));
    clock.advance(Duration.ofHours(1));

    RawHttp.Reply shown = get(token);
    RawHttp.Reply posted = post(token, origin());

    assertThat(shown.status()).isEqualTo(410);
    assertThat(shown.body()).contains("the link has expired");
    assertThat(posted.status()).isEqualTo(410);
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void aCrossSitePostIsRefusedAndWritesNothing() throws Exception {
    String token = token(Duration.ofDays(7));

    RawHttp.Reply fetchMetadata = post(token, "Sec-Fetch-Site: cross-site");
    RawHttp.Reply foreignOrigin = post(token, "Origin: https://evil.example");

    assertThat(fetchMetadata.status()).isEqualTo(403);
    assertThat(fetchMetadata.body()).contains("Sec-Fetch-Site: cross-site");
    assertThat(foreignOrigin.status()).isEqualTo(403);
    assertThat(foreignOrigin.body()).contains("https://evil.example is not this page");
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void aWriteThatFailsAsksToTryAgain() throws Exception {
    writer.failing = true;

    RawHttp.Reply r = post(token(Duration.ofDays(7)), origin());

    assertThat(r.status()).isEqualTo(503);
    assertThat(r.body()).contains("could not record the acknowledgement, try again");
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    RawHttp.Reply r = RawHttp.request(page(), "PUT", "/ack/" + token(Duration.ofDays(7)), "");

    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).containsEntry("allow", "GET, HEAD, POST");
    assertThat(writer.calls).isEmpty();
  }

  @Test
  void noTokenEverReachesTheLog() throws Exception {
    String token = token(Duration.ofDays(7));
    String altered = token.substring(0, token.length() - 2) + "AA";
    get(token);
    post(token, origin());
    post(altered, origin());
    post(token, "Sec-Fetch-Site: cross-site");
    writer.failing = true;
    post(token, origin());

    assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains(token.substring(0, 6)));
    for (ILoggingEvent e : logs.list) {
      String line =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(token.substring(0, 12)).doesNotContain(altered);
    }
  }

  @Test
  void withoutLinksOrOnTheMetricsListenerThereIsNoLinkPage() throws Exception {
    String token = token(Duration.ofDays(7));
    try (WebServer plain = serve(null)) {
      InetSocketAddress a = plain.addresses().get(0);
      assertThat(RawHttp.request(a, "GET", "/ack/" + token, null).status()).isEqualTo(404);
      assertThat(RawHttp.request(a, "POST", "/ack/" + token, "").status()).isEqualTo(404);
    }
    InetSocketAddress metrics = server.addresses().get(1);

    assertThat(RawHttp.request(metrics, "GET", "/ack/" + token, null).status()).isEqualTo(404);
    assertThat(writer.calls).isEmpty();
  }
}

package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsrfTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:10:00Z"));
  private final Csrf csrf = new Csrf(clock);

  private static HttpRequest post(String... headers) {
    Map<String, String> h = new HashMap<>();
    h.put("host", "plant-gw:9464");
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    return new HttpRequest("POST", "/silences", null, h, true, new byte[0]);
  }

  @Test
  void aSameOriginPostWithThisPagesTokenProceeds() {
    String token = csrf.token();

    assertThat(
            csrf.refusal(
                post("origin", "http://plant-gw:9464", "sec-fetch-site", "same-origin"), token))
        .isNull();
    // Browsers from before Fetch Metadata send neither header: the token alone decides.
    assertThat(csrf.refusal(post(), token)).isNull();
  }

  @Test
  void aCrossSiteOrSameSiteFetchIsRefusedEvenWithAValidToken() {
    String token = csrf.token();

    assertThat(csrf.refusal(post("sec-fetch-site", "cross-site"), token))
        .isEqualTo("cross-site form post refused (Sec-Fetch-Site: cross-site)");
    // Another port of the same host is the same site but not the same origin.
    assertThat(csrf.refusal(post("sec-fetch-site", "same-site"), token)).contains("same-site");
    assertThat(csrf.refusal(post("sec-fetch-site", "none"), token)).isNotNull();
  }

  @Test
  void anOriginOtherThanThePagesOwnIsRefused() {
    String token = csrf.token();

    assertThat(csrf.refusal(post("origin", "http://evil.example"), token))
        .isEqualTo("cross-site form post refused (Origin http://evil.example is not this page's)");
    assertThat(csrf.refusal(post("origin", "null"), token)).isNotNull();
    assertThat(csrf.refusal(post("origin", "http://plant-gw:9465"), token)).isNotNull();
    assertThat(csrf.refusal(post("origin", "http://plant-gw"), token)).isNotNull();
    // A TLS-terminating proxy that passes the Host on: the page's own origin is https.
    assertThat(csrf.refusal(post("origin", "https://plant-gw:9464"), token)).isNull();
  }

  @Test
  void aMissingForgedOrStaleTokenIsRefusedAndLastHoursIsNot() {
    String token = csrf.token();

    assertThat(csrf.refusal(post(), null)).startsWith("form expired or not from this page");
    assertThat(csrf.refusal(post(), "0".repeat(64))).isNotNull();
    assertThat(csrf.refusal(post(), new Csrf(clock).token())).isNotNull();
    clock.advance(Duration.ofMinutes(60));
    assertThat(csrf.refusal(post(), token)).isNull();
    clock.advance(Duration.ofMinutes(60));
    assertThat(csrf.refusal(post(), token)).isNotNull();
  }

  @Test
  void aNullOriginPassesOnlyWhereThePageAsksForItAndFetchMetadataStillDecides() {
    // The acknowledge page is served with Referrer-Policy: no-referrer, so browsers post it with
    // Origin: null; the silence forms' page is not, and there null stays foreign.
    assertThat(Csrf.crossSite(post("origin", "null", "sec-fetch-site", "same-origin"), true))
        .isNull();
    assertThat(Csrf.crossSite(post("origin", "null"), false)).isNotNull();
    assertThat(Csrf.crossSite(post("origin", "null", "sec-fetch-site", "cross-site"), true))
        .isEqualTo("cross-site form post refused (Sec-Fetch-Site: cross-site)");
    assertThat(Csrf.crossSite(post("origin", "http://evil.example"), true)).isNotNull();
  }
}

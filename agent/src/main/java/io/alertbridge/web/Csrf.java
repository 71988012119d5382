package io.alertbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keeps other sites from posting the status page's forms through an operator's browser. Three
 * checks, each enough against a browser of the last years alone: {@code Sec-Fetch-Site} must say
 * {@code same-origin} (when sent), {@code Origin} must be this page's own (when sent), and the form
 * must carry a token only this process makes (an HMAC of the hour under a key drawn at start),
 * which a page of another origin cannot read from ours.
 */
final class Csrf {
  static final String FIELD = "csrf";

  /** A token is good in its hour and the next: a form left open over lunch still posts. */
  private static final Duration SLOT = Duration.ofHours(1);

  private final byte[] key = new byte[32];
  private final Clock clock;

  Csrf(Clock clock) {
    this.clock = clock;
    new SecureRandom().nextBytes(key);
  }

  /** The token for a form rendered now. */
  String token() {
    return mac(slot());
  }

  /**
   * Why a form post is refused as cross-site; null when it may proceed.
   *
   * @param token the form's {@value #FIELD} field
   */
  String refusal(HttpRequest r, String token) {
    String crossSite = crossSite(r, false);
    if (crossSite != null) {
      return crossSite;
    }
    if (token == null || !(valid(token, slot()) || valid(token, slot() - 1))) {
      return "form expired or not from this page: reload the status page and submit again";
    }
    return null;
  }

  /**
   * Why a post is refused by its Fetch Metadata and Origin alone; null when they allow it.
   *
   * @param nullOrigin whether {@code Origin: null} passes. A page served with {@code
   *     Referrer-Policy: no-referrer} has browsers send exactly that for its own form posts (Fetch,
   *     "append a request Origin header"), so there it says nothing about the site that posted.
   */
  static String crossSite(HttpRequest r, boolean nullOrigin) {
    String site = r.headers().get("sec-fetch-site");
    if (site != null && !site.equals("same-origin")) {
      return "cross-site form post refused (Sec-Fetch-Site: " + site + ")";
    }
    String origin = r.headers().get("origin");
    String host = r.headers().get("host");
    if (origin == null || (nullOrigin && origin.equals("null"))) {
      return null;
    }
    // https too: behind a reverse proxy that ends TLS and passes the Host on, the browser's origin
    // is https while this listener speaks plain HTTP.
    if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
      return "cross-site form post refused (Origin " + origin + " is not this page's)";
    }
    return null;
  }

  private long slot() {
    return clock.millis() / SLOT.toMillis();
  }

  private boolean valid(String token, long slot) {
    return MessageDigest.isEqual(
        token.getBytes(StandardCharsets.US_ASCII), mac(slot).getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(long slot) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(m.doFinal(Long.toString(slot).getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }
}

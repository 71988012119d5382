package io.alertbridge.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a reply's From domain is authenticated, reading only the Authentication-Results
 * of the trusted receiving server. Others are ignored (RFC 8601 §5 and §7.1): a sender can write
 * any Authentication-Results into its own message.
 *
 * <p>Pass: a {@code dmarc=pass}, or a {@code dkim=pass} whose signing domain aligns with the From
 * domain; and no DMARC result other than {@code pass} or {@code none} ({@code fail}, {@code
 * temperror}, {@code permerror}). A failing DMARC result anywhere in the trusted headers wins, so a
 * forged header claiming the trusted id cannot outvote the receiving server's real one.
 */
final class Dmarc {
  private Dmarc() {}

  static Inbound.Authentication check(String trustedId, String[] headers, String fromDomain) {
    List<AuthenticationResults.Result> results = new ArrayList<>();
    int trusted = 0;
    for (String h : headers == null ? new String[0] : headers) {
      var parsed = AuthenticationResults.parse(h);
      if (parsed.isPresent() && parsed.get().authservId().equalsIgnoreCase(trustedId)) {
        trusted++;
        results.addAll(parsed.get().results());
      }
    }
    if (trusted == 0) {
      return fail("no Authentication-Results from " + trustedId);
    }
    boolean dmarcPass = false;
    boolean dmarcOther = false;
    String otherResult = null;
    String alignedDkim = null;
    for (AuthenticationResults.Result r : results) {
      if (r.method().equals("dmarc")) {
        if (r.result().equals("pass")) {
          dmarcPass = true;
        } else if (!r.result().equals("none")) {
          // none: the From domain publishes no DMARC policy; an aligned DKIM pass may still count.
          dmarcOther = true;
          otherResult = otherResult == null ? r.result() : otherResult;
        }
      } else if (r.method().equals("dkim") && r.result().equals("pass") && alignedDkim == null) {
        alignedDkim = aligned(r, fromDomain);
      }
    }
    if (dmarcOther) {
      return fail("dmarc=" + otherResult + " from " + trustedId);
    }
    if (dmarcPass) {
      return new Inbound.Authentication(true, true, "dmarc=pass from " + trustedId);
    }
    if (alignedDkim != null) {
      return new Inbound.Authentication(
          true, true, "dkim=pass for " + alignedDkim + ", aligned with From, from " + trustedId);
    }
    return fail("neither dmarc=pass nor an aligned dkim=pass from " + trustedId);
  }

  /** The signing domain when it aligns with the From domain, else null. */
  private static String aligned(AuthenticationResults.Result dkim, String fromDomain) {
    for (String name : List.of("header.d", "header.i")) {
      String v = dkim.property(name).orElse(null);
      if (v == null) {
        continue;
      }
      String domain = v.substring(v.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
      if (aligns(domain, fromDomain)) {
        return domain;
      }
    }
    return null;
  }

  /**
   * Equal, or one a subdomain of the other (relaxed alignment, RFC 7489 §3.1.1, without a public
   * suffix list). The shorter must have a dot, so that a signature by a top-level domain aligns
   * with nothing.
   */
  static boolean aligns(String a, String b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    if (a.equals(b)) {
      return true;
    }
    String shorter = a.length() < b.length() ? a : b;
    String longer = a.length() < b.length() ? b : a;
    return shorter.contains(".") && longer.endsWith("." + shorter);
  }

  private static Inbound.Authentication fail(String detail) {
    return new Inbound.Authentication(true, false, detail);
  }
}

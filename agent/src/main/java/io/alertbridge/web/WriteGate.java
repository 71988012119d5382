package io.alertbridge.web;

import java.util.Optional;

/**
 * Who may write: without {@code http.auth} nobody (403, saying writes are off), without a valid
 * token nobody (401), and with one its holder, who becomes the author of the change.
 */
final class WriteGate {
  static final String DISABLED =
      "writes are disabled: set http.auth.tokens-file in the configuration to allow them\n";

  /**
   * The author of a write, or the response that refuses it.
   *
   * @param author null when refused
   * @param refusal null when allowed
   */
  record Verdict(String author, HttpResponse refusal) {}

  private WriteGate() {}

  /** A client's {@code Authorization: Bearer TOKEN} (amtool, Grafana, curl). */
  static Verdict bearer(Tokens tokens, String authorization) {
    if (tokens == null) {
      return new Verdict(null, HttpResponse.text(403, DISABLED));
    }
    return verdict(tokens.author(authorization));
  }

  /** A token typed into the status page's form: a browser has no bearer header to send. */
  static Verdict formToken(Tokens tokens, String token) {
    if (tokens == null) {
      return new Verdict(null, HttpResponse.text(403, DISABLED));
    }
    return verdict(tokens.holderOf(token));
  }

  private static Verdict verdict(Optional<String> author) {
    return author
        .map(a -> new Verdict(a, null))
        .orElseGet(
            () ->
                new Verdict(
                    null,
                    HttpResponse.text(401, "a valid bearer token from http.auth is required\n")
                        .with("WWW-Authenticate", "Bearer realm=\"alertbridge\"")));
  }
}

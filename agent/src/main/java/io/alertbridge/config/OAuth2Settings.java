package io.alertbridge.config;

/**
 * AUTH XOAUTH2 for one server: tokens from a token endpoint with the client-credentials grant, or
 * from a file kept fresh by someone else. {@link #toString()} never shows the secret.
 */
public record OAuth2Settings(
    String tokenUrl, String clientId, String clientSecret, String scope, String tokenFile) {
  public OAuth2Settings {
    tokenUrl = blankToNull(tokenUrl);
    clientId = blankToNull(clientId);
    clientSecret = blankToNull(clientSecret);
    scope = blankToNull(scope);
    tokenFile = blankToNull(tokenFile);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return tokenFile != null
        ? "OAuth2[token-file " + tokenFile + "]"
        : "OAuth2[" + tokenUrl + ", client " + clientId + ", secret ***]";
  }
}

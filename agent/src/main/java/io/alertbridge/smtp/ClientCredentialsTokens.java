package io.alertbridge.smtp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tokens from an OAuth 2.0 token endpoint with the client-credentials grant (RFC 6749 §4.4), as
 * Microsoft 365 and Google issue them to daemons. A token is reused until shortly before it
 * expires. Neither the secret nor a token is ever put in an exception message or a log line.
 */
public final class ClientCredentialsTokens implements OAuth2Tokens {
  /** Renew this long before expiry, so a token never runs out in the middle of a session. */
  static final Duration EARLY = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final String scope;
  private final Duration timeout;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  public ClientCredentialsTokens(
      HttpClient http,
      URI tokenUrl,
      String clientId,
      String clientSecret,
      String scope,
      Duration timeout,
      Clock clock) {
    this.http = http;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public synchronized String token() throws IOException {
    if (token == null || !clock.instant().isBefore(renewAt)) {
      fetch();
    }
    return token;
  }

  @Override
  public synchronized void invalidate() {
    token = null;
  }

  private void fetch() throws IOException {
    Map<String, String> form =
        scope == null || scope.isBlank()
            ? Map.of(
                "grant_type", "client_credentials",
                "client_id", clientId,
                "client_secret", clientSecret)
            : Map.of(
                "grant_type", "client_credentials",
                "client_id", clientId,
                "client_secret", clientSecret,
                "scope", scope);
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(tokenUrl)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted fetching an OAuth2 token from " + tokenUrl, e);
    }
    if (response.statusCode() != 200) {
      // The error body names the problem (invalid_client, invalid_scope) and holds no secret.
      throw new IOException(
          "token endpoint "
              + tokenUrl
              + " answered "
              + response.statusCode()
              + ": "
              + errorOf(response.body()));
    }
    JsonNode json = JSON.readTree(response.body());
    JsonNode access = json.get("access_token");
    if (access == null || !access.isTextual() || access.asText().isEmpty()) {
      throw new IOException("token endpoint " + tokenUrl + " answered without an access_token");
    }
    long lifetime = json.path("expires_in").asLong(3600);
    token = access.asText();
    renewAt = clock.instant().plusSeconds(lifetime).minus(EARLY);
  }

  private static String errorOf(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      return json.path("error").asText("(no error field)")
          + (json.has("error_description") ? " " + json.get("error_description").asText() : "");
    } catch (IOException e) {
      return "(not JSON)";
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

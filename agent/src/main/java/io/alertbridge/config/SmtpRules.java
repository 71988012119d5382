package io.alertbridge.config;

import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.smtp.TlsMode;
import io.alertbridge.smtp.TlsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The rules of {@code smtp}: the pool's servers, their TLS and AUTH, timeouts and retries. */
final class SmtpRules {
  private final ConfigValidator v;

  SmtpRules(ConfigValidator v) {
    this.v = v;
  }

  private void problem(String path, String found, String rule) {
    v.problem(path, found, rule);
  }

  private void positive(String path, java.time.Duration d) {
    v.positive(path, d);
  }

  private void positive(String path, Integer n) {
    v.positive(path, n);
  }

  private static String quote(String s) {
    return ConfigValidator.quote(s);
  }

  private static boolean blank(String s) {
    return ConfigValidator.blank(s);
  }

  void smtp(SmtpSettings s) {
    if (s == null) {
      problem("smtp", null, "is required");
      return;
    }
    if (s.from() == null) {
      problem("smtp.from", null, "is required: the From address of every alert mail");
    }
    if (s.envelopeFrom() != null && s.envelopeFrom().getPersonal() != null) {
      problem(
          "smtp.envelope-from",
          quote(s.envelopeFrom().toString()),
          "must be a bare address (local@domain), without display name");
    }
    if (s.helo() != null) {
      MailboxSyntax.domainProblem(s.helo())
          .ifPresent(
              p ->
                  problem(
                      "smtp.helo",
                      quote(s.helo()),
                      "must be a host name or address literal for EHLO: " + p));
    }
    if (s.servers().isEmpty()) {
      problem("smtp.servers", "[]", "must list at least one server");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.servers().size(); i++) {
      String path = "smtp.servers[" + i + "]";
      SmtpServerSettings server = s.servers().get(i);
      server(path, server, s.allowPlaintextAuth());
      if (server != null && !names.add(server.name())) {
        problem(path + ".name", quote(server.name()), "must be unique among smtp.servers");
      }
    }
    positive("smtp.connect-timeout", s.connectTimeout());
    positive("smtp.read-timeout", s.readTimeout());
    positive("smtp.write-timeout", s.writeTimeout());
    positive("smtp.data-timeout", s.dataTimeout());
    positive("smtp.idle-timeout", s.idleTimeout());
    if (s.connections() < 1 || s.connections() > 64) {
      problem("smtp.connections", s.connections().toString(), "must be between 1 and 64");
    }
    positive("smtp.circuit-breaker.minimum-calls", s.circuitBreaker().minimumCalls());
    positive("smtp.circuit-breaker.open-for", s.circuitBreaker().openFor());
    retry(s.retry());
  }

  private void server(String path, SmtpServerSettings server, boolean allowPlaintextAuth) {
    if (server == null) {
      problem(path, null, "must be a mapping with host and port");
      return;
    }
    if (server.connections() != null && (server.connections() < 1 || server.connections() > 64)) {
      problem(path + ".connections", server.connections().toString(), "must be between 1 and 64");
    }
    if (server.priority() < 0) {
      problem(path + ".priority", server.priority().toString(), "must be 0 or more");
    }
    positive(path + ".max-messages-per-connection", server.maxMessagesPerConnection());
    positive(path + ".max-recipients-per-message", server.maxRecipientsPerMessage());
    tls(path, server);
    if (server.authenticates()
        && server.tls() == TlsMode.NONE
        && !allowPlaintextAuth
        && !isLoopback(server.host())) {
      problem(
          path + ".tls",
          "\"none\"",
          "must be starttls or implicit: server "
              + server.name()
              + " authenticates, and AUTH without TLS sends the password in the clear"
              + " (smtp.allow-plaintext-auth: true permits it, e.g. on a trusted network)");
    }
    if (blank(server.host())) {
      problem(path + ".host", quote(server.host()), "must be a host name or IP address");
    }
    if (server.port() < 1 || server.port() > 65535) {
      problem(path + ".port", server.port().toString(), "must be between 1 and 65535");
    }
    if (server.oauth2() != null) {
      oauth2(path + ".oauth2", server.username(), server.password(), server.oauth2());
    } else if (server.username() != null && server.password() == null) {
      problem(path + ".password", null, "is required when username is set");
    }
    if (server.username() == null && server.password() != null) {
      problem(path + ".username", null, "is required when password is set");
    }
  }

  /**
   * XOAUTH2 settings of a server or of the inbound mailbox; {@code path} ends in {@code .oauth2}.
   */
  void oauth2(String path, String username, String password, OAuth2Settings o) {
    if (username == null) {
      problem(
          path.replace(".oauth2", ".username"),
          null,
          "is required with oauth2: the mailbox the token was issued for");
    }
    if (password != null) {
      problem(path.replace(".oauth2", ".password"), null, "must not be set with oauth2");
    }
    if (o.tokenFile() != null) {
      if (o.tokenUrl() != null) {
        problem(path + ".token-url", quote(o.tokenUrl()), "must not be set with token-file");
      }
      if (!java.nio.file.Files.isReadable(Path.of(o.tokenFile()))) {
        problem(
            path + ".token-file",
            quote(o.tokenFile()),
            "must be a readable file (relative paths resolve against the working directory)");
      }
      return;
    }
    if (o.tokenUrl() == null) {
      problem(path + ".token-url", null, "is required unless token-file is set");
      return;
    }
    java.net.URI uri;
    try {
      uri = java.net.URI.create(o.tokenUrl());
    } catch (IllegalArgumentException e) {
      problem(path + ".token-url", quote(o.tokenUrl()), "must be a URL: " + e.getMessage());
      return;
    }
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    boolean loopbackHttp = "http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost());
    if (!https && !loopbackHttp) {
      problem(
          path + ".token-url",
          quote(o.tokenUrl()),
          "must be an https URL: the client secret travels in the request");
    }
    if (o.clientId() == null) {
      problem(path + ".client-id", null, "is required with token-url");
    }
    if (o.clientSecret() == null) {
      problem(path + ".client-secret", null, "is required with token-url");
    }
  }

  private void tls(String path, SmtpServerSettings server) {
    boolean any = server.tlsCaFile() != null || server.tlsClientCert() != null;
    if (any && server.tls() == TlsMode.NONE) {
      problem(
          path + ".tls",
          "\"none\"",
          "must be starttls or implicit when tls-ca-file or tls-client-cert is set");
      return;
    }
    if ((server.tlsClientCert() == null) != (server.tlsClientKey() == null)) {
      problem(
          path + (server.tlsClientCert() == null ? ".tls-client-cert" : ".tls-client-key"),
          null,
          "is required with "
              + (server.tlsClientCert() == null ? "tls-client-key" : "tls-client-cert"));
      return;
    }
    try {
      TlsTrust.socketFactory(
          Optional.ofNullable(server.tlsCaFile()).map(Path::of),
          Optional.ofNullable(server.tlsClientCert()).map(Path::of),
          Optional.ofNullable(server.tlsClientKey()).map(Path::of));
    } catch (IOException | GeneralSecurityException e) {
      String key = server.tlsCaFile() != null ? ".tls-ca-file" : ".tls-client-cert";
      String file = server.tlsCaFile() != null ? server.tlsCaFile() : server.tlsClientCert();
      problem(path + key, quote(file), "must be readable PEM: " + e.getMessage());
    }
  }

  /** A loopback host, where a password cannot be overheard on the wire. */
  static boolean isLoopback(String host) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private void retry(RetrySettings r) {
    if (r.maxAttempts() < 1) {
      problem(
          "smtp.retry.max-attempts",
          r.maxAttempts().toString(),
          "must be greater than or equal to 1");
    }
    positive("smtp.retry.initial-backoff", r.initialBackoff());
    if (r.multiplier() < 1.0) {
      problem("smtp.retry.multiplier", r.multiplier().toString(), "must be at least 1.0");
    }
    if (r.maxBackoff().compareTo(r.initialBackoff()) < 0) {
      problem(
          "smtp.retry.max-backoff",
          Durations.format(r.maxBackoff()),
          "must not be shorter than smtp.retry.initial-backoff");
    }
  }
}

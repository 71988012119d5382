package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.alertbridge.smtp.ClientCredentialsTokens;
import io.alertbridge.smtp.LoopbackSmtp;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpServer;
import io.alertbridge.smtp.TestMails;
import io.alertbridge.smtp.TlsMode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * AUTH XOAUTH2 against an SMTP server that checks the token (GreenMail), with the token from an
 * in-process HTTPS token endpoint that speaks the client-credentials grant. The token is fetched
 * once and reused, fetched again when the server refuses it, and never written to a log.
 */
class XOAuth2IT {
  @TempDir Path dir;
  private HttpsServer endpoint;
  private GreenMail smtp;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private SSLContext trustingEndpoint;

  @BeforeEach
  void start() throws Exception {
    Path keystore = dir.resolve("endpoint.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "endpoint",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).isTrue();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext serverSsl = SSLContext.getInstance("TLS");
    serverSsl.init(kmf.getKeyManagers(), null, null);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    Certificate cert = ks.getCertificate("endpoint");
    trust.setCertificateEntry("endpoint", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    trustingEndpoint = SSLContext.getInstance("TLS");
    trustingEndpoint.init(null, tmf.getTrustManagers(), null);

    endpoint = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.setHttpsConfigurator(new HttpsConfigurator(serverSsl));
    endpoint.createContext(
        "/oauth2/v2.0/token",
        exchange -> {
          String form =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(form);
          boolean ok =
              form.contains("grant_type=client_credentials")
                  && form.contains("client_id=alertbridge-app")
                  && form.contains("client_secret=app-s3cret");
          String body =
              ok
                  ? "{\"access_token\":\"tok-"
                      + issued.incrementAndGet()
                      + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
                  : "{\"error\":\"invalid_client\"}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(ok ? 200 : 401, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    endpoint.start();

    smtp =
        new GreenMail(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("alerts@plant.example", "tok-1"));
    smtp.start();

    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    endpoint.stop(0);
    smtp.stop();
  }

  private SmtpClient client() {
    ClientCredentialsTokens tokens =
        new ClientCredentialsTokens(
            HttpClient.newBuilder().sslContext(trustingEndpoint).build(),
            URI.create(
                "https://localhost:" + endpoint.getAddress().getPort() + "/oauth2/v2.0/token"),
            "alertbridge-app",
            "app-s3cret",
            "https://outlook.office365.com/.default",
            Duration.ofSeconds(5),
            Clock.systemUTC());
    // max-messages-per-connection 1: every mail is a new session with AUTH.
    return new SmtpClient(
        LoopbackSmtp.forServer(
            SmtpServer.at(
                "127.0.0.1", smtp.getSmtp().getPort(), TlsMode.NONE, "alerts@plant.example", null),
            Duration.ofSeconds(5),
            1,
            Optional.empty(),
            Optional.of(tokens)),
        Clock.systemUTC());
  }

  @Test
  void aTokenFromTheEndpointIsCheckedByTheServerReusedAndRenewedWhenRefused() throws Exception {
    try (SmtpClient c = client()) {
      // max-messages-per-connection is 1 here, so every mail is a new session with AUTH.
      c.submit(TestMails.mail("<o1@test>", "x", "ops@plant.example"));
      c.submit(TestMails.mail("<o2@test>", "x", "ops@plant.example"));
      assertThat(issued).as("one token for both sessions").hasValue(1);
      assertThat(requests.get(0)).contains("scope=https%3A%2F%2Foutlook.office365.com%2F.default");

      // The provider rotates the token before it expires: the server refuses the cached one.
      smtp.getUserManager().getUser("alerts@plant.example").setPassword("tok-2");
      c.submit(TestMails.mail("<o3@test>", "x", "ops@plant.example"));
      assertThat(issued).as("a new token after the refusal").hasValue(2);
    }
    assertThat(smtp.getReceivedMessages()).hasSize(3);
    assertThat(logs.list)
        .as("log lines")
        .isNotEmpty()
        .noneMatch(e -> e.getFormattedMessage().contains("tok-"))
        .noneMatch(e -> e.getFormattedMessage().contains("app-s3cret"));
  }
}

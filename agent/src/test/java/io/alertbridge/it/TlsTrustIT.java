package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alertbridge.smtp.LoopbackSmtp;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpClient;
import io.alertbridge.smtp.SmtpServer;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.alertbridge.smtp.TestMails;
import io.alertbridge.smtp.TlsMode;
import io.alertbridge.smtp.TlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plant relay with a certificate from the site's own CA: a real Postfix offering STARTTLS with a
 * certificate issued, in this test, by a CA made with openssl. {@code tls-ca-file} makes it trusted
 * for that server only; without it, or under a name the certificate does not carry, the connection
 * is refused; a client certificate from the same CA is verified by Postfix.
 */
class TlsTrustIT {
  @TempDir static Path pki;
  private static PostfixInstance postfix;

  @BeforeAll
  static void startPostfixWithASiteCa() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=Plant CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    for (String who : new String[] {"server", "client"}) {
      openssl(
          "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", who + ".key");
      openssl("req", "-new", "-key", who + ".key", "-subj", "/CN=" + who, "-out", who + ".csr");
      Files.writeString(
          pki.resolve(who + ".ext"),
          who.equals("server")
              ? "subjectAltName=DNS:localhost\n"
              : "extendedKeyUsage=clientAuth\n");
      openssl(
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-days",
          "1",
          "-extfile",
          who + ".ext",
          "-out",
          who + ".pem");
    }
    postfix =
        PostfixInstance.start(
            Map.of(
                "smtpd_tls_security_level", "may",
                "smtpd_tls_cert_file", "{etc}/server.pem",
                "smtpd_tls_key_file", "{etc}/server.key",
                "smtpd_tls_CAfile", "{etc}/ca.pem",
                "smtpd_tls_ask_ccert", "yes",
                "smtpd_tls_loglevel", "1"),
            Map.of(
                "server.pem", Files.readString(pki.resolve("server.pem")),
                "server.key", Files.readString(pki.resolve("server.key")),
                "ca.pem", Files.readString(pki.resolve("ca.pem"))));
  }

  @AfterAll
  static void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
  }

  private static void openssl(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    for (Path f : Files.newDirectoryStream(pki)) {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static SmtpClient client(String host, Optional<SSLSocketFactory> tls) {
    return new SmtpClient(
        LoopbackSmtp.forServer(
            SmtpServer.at(host, postfix.port(), TlsMode.STARTTLS, null, null),
            Duration.ofSeconds(5),
            100,
            tls,
            Optional.empty()),
        Clock.systemUTC());
  }

  private static Optional<SSLSocketFactory> trusting(boolean clientCert) throws Exception {
    return TlsTrust.socketFactory(
        Optional.of(pki.resolve("ca.pem")),
        clientCert ? Optional.of(pki.resolve("client.pem")) : Optional.empty(),
        clientCert ? Optional.of(pki.resolve("client.key")) : Optional.empty());
  }

  @Test
  void theSiteCaMakesTheRelayTrustedForThisServerOnly() throws Exception {
    try (SmtpClient c = client("localhost", trusting(false))) {
      Receipt r = c.submit(TestMails.mail("<tls-1@test>", "x", "ops@plant.example"));
      assertThat(r.reply().code()).isEqualTo(250);
      assertThat(postfix.queueIdFor("<tls-1@test>")).contains(r.queueId().orElseThrow());
    }
    assertThat(postfix.maillog()).contains("TLS connection established from localhost[127.0.0.1]");
  }

  @Test
  void withoutTheCaTheRelayIsRefusedAndNothingIsSentInPlaintext() {
    try (SmtpClient c = client("localhost", Optional.empty())) {
      SmtpSubmissionException e =
          catchThrowableOfType(
              SmtpSubmissionException.class,
              () -> c.submit(TestMails.mail("<tls-2@test>", "x", "ops@plant.example")));
      assertThat(e.permanent()).isFalse();
      assertThat(e).hasStackTraceContaining("PKIX");
    }
  }

  @Test
  void aNameTheCertificateDoesNotCarryIsRefusedEvenWithTheCa() throws Exception {
    try (SmtpClient c = client("127.0.0.1", trusting(false))) {
      SmtpSubmissionException e =
          catchThrowableOfType(
              SmtpSubmissionException.class,
              () -> c.submit(TestMails.mail("<tls-3@test>", "x", "ops@plant.example")));
      assertThat(e.permanent()).isFalse();
      assertThat(e).hasStackTraceContaining("127.0.0.1");
    }
  }

  @Test
  void aClientCertificateFromTheSiteCaIsVerifiedByTheRelay() throws Exception {
    try (SmtpClient c = client("localhost", trusting(true))) {
      c.submit(TestMails.mail("<tls-4@test>", "x", "ops@plant.example"));
    }
    assertThat(postfix.maillog()).contains("Trusted TLS connection established from localhost");
  }
}

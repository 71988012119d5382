package io.alertbridge.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/** Certificates made with openssl for the servers of the integration tests. */
final class Tls {
  private Tls() {}

  /**
   * A self-signed certificate for localhost and 127.0.0.1 in {@code NAME.pem}, its key in {@code
   * NAME.key}; the certificate is its own CA, to be trusted as {@code tls-ca-file}.
   */
  static Path selfSigned(Path dir, String name) throws Exception {
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                name + ".key",
                "-out",
                name + ".pem")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl failed: " + out);
    }
    // Dovecot reads the key as root before dropping privileges; the others only need the cert.
    Files.setPosixFilePermissions(
        dir.resolve(name + ".pem"), PosixFilePermissions.fromString("rw-r--r--"));
    return dir.resolve(name + ".pem");
  }
}

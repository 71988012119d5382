package io.alertbridge.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for one server from PEM files: the CA(s) to trust instead of the JVM's store (a plant relay
 * with a certificate from the site's own CA), and a client certificate for relays that require one.
 * The server's host name is still checked against its certificate; nothing here touches the JVM's
 * default trust store or Kafka's.
 */
public final class TlsTrust {
  private TlsTrust() {}

  /** A factory for one server; empty when neither a CA nor a client certificate is given. */
  public static Optional<SSLSocketFactory> socketFactory(
      Optional<Path> caFile, Optional<Path> clientCert, Optional<Path> clientKey)
      throws IOException, GeneralSecurityException {
    if (caFile.isEmpty() && clientCert.isEmpty()) {
      return Optional.empty();
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile.isPresent()) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate c : certificates(caFile.get())) {
        store.setCertificateEntry("ca-" + n++, c);
      }
      trust.init(store);
    } else {
      trust.init((KeyStore) null);
    }
    KeyManagerFactory keys = null;
    if (clientCert.isPresent()) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry(
          "client",
          privateKey(clientKey.orElseThrow()),
          none,
          certificates(clientCert.get()).toArray(new Certificate[0]));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return Optional.of(context.getSocketFactory());
  }

  static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.isEmpty()) {
        throw new GeneralSecurityException("no certificate in " + pem);
      }
      return new ArrayList<>(all);
    }
  }

  /** A PKCS#8 key ("BEGIN PRIVATE KEY", what {@code openssl genpkey} writes), RSA or EC. */
  static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(
          pem
              + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
              + " openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(text.substring(begin + 27, end).replaceAll("\\s", ""));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException(pem + ": not an RSA, EC or Ed25519 key", last);
  }
}

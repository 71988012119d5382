package io.alertbridge.ack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key that signs reply, bounce and link tokens. Whoever holds it can acknowledge any
 * alarm, so it is read from a file, compared in constant time and never printed: {@link #toString}
 * says only where it came from.
 */
public final class TokenKey {
  /** Below this a key could be guessed; RFC 2104 §3 asks for at least the hash's output length. */
  public static final int MIN_BYTES = 32;

  private final byte[] key;
  private final String origin;

  private TokenKey(byte[] key, String origin) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          origin + ": the key has " + key.length + " bytes, at least " + MIN_BYTES + " are needed");
    }
    this.key = key.clone();
    this.origin = origin;
  }

  public static TokenKey of(byte[] key, String origin) {
    return new TokenKey(key, origin);
  }

  /**
   * The whole file is the key, every byte: random bytes may end in what looks like a line end, and
   * the configuration's check counted them too.
   */
  public static TokenKey read(Path file) throws IOException {
    return new TokenKey(Files.readAllBytes(file), file.toString());
  }

  /** HMAC-SHA256 of {@code parts}, each length-prefixed so that no two inputs sign alike. */
  byte[] sign(String purpose, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      update(mac, purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (byte[] p : parts) {
        update(mac, p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static void update(Mac mac, byte[] part) {
    mac.update((byte) (part.length >>> 8));
    mac.update((byte) part.length);
    mac.update(part);
  }

  /** Constant-time comparison of {@code n} leading bytes of a signature. */
  static boolean matches(byte[] expected, byte[] given, int n) {
    return given.length == n && MessageDigest.isEqual(Arrays.copyOf(expected, n), given);
  }

  @Override
  public String toString() {
    return "TokenKey[" + origin + "]";
  }
}

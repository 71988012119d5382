package io.alertbridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * An HMAC key file (issue 18: {@code inbound.key-file}, {@code http.link-key-file}): present, long
 * enough, and private, for whoever reads it can acknowledge any alert in anyone's name.
 */
final class KeyFileRule {
  /** Below this an HMAC key could be guessed (RFC 2104 §3: at least the hash's output). */
  static final int MIN_KEY_BYTES = 32;

  private KeyFileRule() {}

  /**
   * @param what what the key is, for a missing key's message
   * @param why why it must be private, for an others-readable key's message
   */
  static void check(ConfigValidator v, String key, String keyFile, String what, String why) {
    if (keyFile == null || keyFile.isBlank()) {
      v.problem(key, null, "is required: " + what);
      return;
    }
    Path file = Path.of(keyFile);
    String found = ConfigValidator.quote(keyFile);
    try {
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        v.problem(key, found, "must be a readable file");
        return;
      }
      if (Files.size(file) < MIN_KEY_BYTES) {
        v.problem(
            key,
            found,
            "must hold at least " + MIN_KEY_BYTES + " bytes (e.g. head -c 32 /dev/urandom > FILE)");
      }
      if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
        v.problem(
            key, found, "must not be readable by others (chmod o-r, e.g. 0600 or 0640): " + why);
      }
    } catch (UnsupportedOperationException | IOException ignored) {
      // Not a POSIX file system, or the size could not be read: Files.isReadable said it is there.
    }
  }
}

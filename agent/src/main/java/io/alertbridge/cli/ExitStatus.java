package io.alertbridge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Leaves the exit code where the launcher ({@code deploy/bin/alertbridge}) can read it. When the
 * JVM writes a class-data archive at exit and that write fails (a full disk), the JVM exits with 1
 * whatever code the daemon chose: a configuration error's 2, which keeps systemd from restarting a
 * daemon that cannot start, or a clean stop's 0. The launcher then exits with the code found here.
 */
final class ExitStatus {
  /** Set by the launcher only while it has the JVM write an archive. */
  static final String FILE_VARIABLE = "ALERTBRIDGE_EXIT_STATUS_FILE";

  private ExitStatus() {}

  /** Records {@code code} if the launcher asked for it; a failure to write it changes nothing. */
  static int record(int code) {
    String file = System.getenv(FILE_VARIABLE);
    if (file != null && !file.isEmpty()) {
      try {
        Files.writeString(Path.of(file), code + "\n", StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException ignored) {
        // Only the launcher's archive run reads it; without it that run's code may say 1.
      }
    }
    return code;
  }
}

package io.alertbridge.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A token kept fresh by someone else (a sidecar, a cron job) in a file: read again whenever the
 * file changes.
 */
public final class TokenFile implements OAuth2Tokens {
  private final Path file;
  private String token;
  private FileTime readAt;

  public TokenFile(Path file) {
    this.file = file;
  }

  @Override
  public synchronized String token() throws IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    if (token == null || !modified.equals(readAt)) {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new IOException("token file " + file + " is empty");
      }
      token = t;
      readAt = modified;
    }
    return token;
  }

  @Override
  public synchronized void invalidate() {
    token = null;
  }
}

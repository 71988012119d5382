package io.alertbridge.daemon;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.HttpSettings;
import io.alertbridge.web.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bearer tokens of {@code http.auth.tokens-file}: loaded at start, again on each reload. */
final class HttpTokens {
  private static final Logger log = LoggerFactory.getLogger(HttpTokens.class);

  private HttpTokens() {}

  /** The tokens, or null when writes are not configured (every write answers 403). */
  static Tokens load(HttpSettings http) throws ConfigException {
    if (!http.writable()) {
      return null;
    }
    try {
      return Tokens.load(Path.of(http.auth().tokensFile()));
    } catch (IOException e) {
      throw new ConfigException(
          "http.auth.tokens-file",
          '"' + http.auth().tokensFile() + '"',
          "must be a readable file of name:token lines: " + e.getMessage());
    }
  }

  /**
   * The file again, after a reload: a changed token takes effect without a restart. A file that
   * cannot be read keeps the tokens in force, which the log says; turning auth on or off needs a
   * restart.
   */
  static void reload(Tokens tokens, HttpSettings http) {
    if (!http.writable()) {
      log.warn("http.auth removed: needs a restart; the tokens in force stay");
      return;
    }
    try {
      tokens.replaceWith(Tokens.load(Path.of(http.auth().tokensFile())));
    } catch (IOException e) {
      log.warn(
          "http.auth.tokens-file could not be read again, keeping its tokens: {}", e.getMessage());
    }
  }
}

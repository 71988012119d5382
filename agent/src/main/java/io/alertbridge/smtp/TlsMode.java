package io.alertbridge.smtp;

import java.util.Locale;
import java.util.Optional;

/** How the SMTP connection is protected. */
public enum TlsMode {
  /** Plain SMTP. Only for a relay on the same host or a trusted network. */
  NONE,
  /** STARTTLS, required: a server that does not offer it is an error, never a plaintext send. */
  STARTTLS,
  /** TLS from the first byte (SMTPS, usually port 465). */
  IMPLICIT;

  public static final String RULE = "must be one of none, starttls, implicit";

  public static Optional<TlsMode> parse(String text) {
    for (TlsMode m : values()) {
      if (m.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.alertbridge.event;

import java.util.Locale;

/** How bad an alert is. */
public enum Severity {
  CRITICAL,
  WARNING,
  INFO;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

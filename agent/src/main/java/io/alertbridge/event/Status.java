package io.alertbridge.event;

import java.util.Locale;

/**
 * Whether the condition behind an alert holds ({@code firing}) or has cleared ({@code resolved}).
 */
public enum Status {
  FIRING,
  RESOLVED;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}

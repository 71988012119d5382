package io.alertbridge.config;

import java.time.Duration;

/**
 * When a server is taken out of rotation: once {@code minimumCalls} transactions were tried and at
 * least {@code failureRate} of the recent ones failed for the server's sake (connection, TLS, AUTH,
 * 4xx, 421, a 5xx to MAIL FROM), for {@code openFor}; then a few trial transactions decide whether
 * it comes back.
 */
public record CircuitBreakerSettings(
    Percentage failureRate, Integer minimumCalls, Duration openFor) {
  public static final CircuitBreakerSettings DEFAULTS =
      new CircuitBreakerSettings(null, null, null);

  public CircuitBreakerSettings {
    failureRate = failureRate == null ? new Percentage(50) : failureRate;
    minimumCalls = minimumCalls == null ? 5 : minimumCalls;
    openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
  }
}

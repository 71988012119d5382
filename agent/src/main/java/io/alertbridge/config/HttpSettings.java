package io.alertbridge.config;

/**
 * The HTTP endpoint for {@code /metrics}, {@code /healthz} and {@code /readyz}.
 *
 * @param listen {@code host:port}; {@code 127.0.0.1:9464} keeps it on the machine. Port 0 picks a
 *     free one. Not set: no HTTP endpoint
 */
public record HttpSettings(String listen) {
  public static final HttpSettings OFF = new HttpSettings(null);

  public boolean enabled() {
    return listen != null && !listen.isBlank();
  }

  public String host() {
    return listen.substring(0, listen.lastIndexOf(':'));
  }

  public int port() {
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }
}

package io.alertbridge.config;

import java.net.InetSocketAddress;

/**
 * The HTTP endpoint: the status page, {@code /metrics}, {@code /healthz} and {@code /readyz}.
 *
 * @param listen {@code host:port} of the status page, which also serves metrics and health; {@code
 *     127.0.0.1:9464} keeps it on the machine. Port 0 picks a free one. Not set: no status page
 * @param metricsListen {@code host:port} of a second listener that serves only {@code /metrics},
 *     {@code /healthz} and {@code /readyz}, for Prometheus and probes on another interface while
 *     the status page, which shows alert contents and recipients, stays on loopback. Not set: none
 * @param auth bearer tokens for writes (silences, reload); not set: every write is refused (403)
 * @param publicUrl where people reach {@code listen} (through a proxy): with it, mails carry an
 *     "Acknowledge" link (issue 18); not set: no links
 * @param linkKeyFile the HMAC key that signs acknowledge links; required with {@code public-url}
 */
public record HttpSettings(
    String listen,
    String metricsListen,
    HttpAuthSettings auth,
    String publicUrl,
    String linkKeyFile) {
  public static final HttpSettings OFF = new HttpSettings(null, null, null, null, null);

  /** Whether mails carry acknowledge links. */
  public boolean links() {
    return set(publicUrl);
  }

  /** Whether writes are allowed at all: with a token file, to holders of a token. */
  public boolean writable() {
    return auth != null && set(auth.tokensFile());
  }

  public boolean enabled() {
    return set(listen) || set(metricsListen);
  }

  /** Whether the status page has a listener of its own ({@code listen}). */
  public boolean statusPage() {
    return set(listen);
  }

  public boolean metricsListener() {
    return set(metricsListen);
  }

  /** The socket address of a {@code host:port} value; unresolved names are resolved here. */
  public static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** One line for {@code check-config}. */
  public String summary() {
    if (!enabled()) {
      return "off (no http.listen)";
    }
    String health = "/metrics, /healthz, /readyz";
    return (statusPage()
            ? "http://" + listen + "/ (status page, " + health + ")"
            : "no status page")
        + (metricsListener() ? "; http://" + metricsListen + " (" + health + ")" : "");
  }

  private static boolean set(String s) {
    return s != null && !s.isBlank();
  }
}

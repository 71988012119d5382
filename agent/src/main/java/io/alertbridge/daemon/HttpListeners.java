package io.alertbridge.daemon;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.HttpSettings;
import io.alertbridge.web.WebServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the HTTP listeners while the daemon starts. A listener that cannot be bound is a
 * configuration error (exit 2), as in Prometheus and Alertmanager: a daemon that runs on without
 * its health and metrics endpoint looks dead to its monitors, or worse, looks like nothing at all.
 */
final class HttpListeners {
  private HttpListeners() {}

  /** The bound, not yet serving, endpoint; null when {@code http} asks for none. */
  static WebServer bind(HttpSettings http) throws ConfigException {
    if (!http.enabled()) {
      return null;
    }
    List<WebServer.Listener> listeners = new ArrayList<>();
    if (http.statusPage()) {
      listeners.add(
          new WebServer.Listener("http.listen", HttpSettings.address(http.listen()), true));
    }
    if (http.metricsListener()) {
      listeners.add(
          new WebServer.Listener(
              "http.metrics-listen", HttpSettings.address(http.metricsListen()), false));
    }
    try {
      return WebServer.bind(listeners);
    } catch (WebServer.CannotListen e) {
      String key = e.listener().key();
      String value = key.equals("http.listen") ? http.listen() : http.metricsListen();
      throw new ConfigException(
          key,
          '"' + value + '"',
          "must be an address alertbridge can listen on: " + e.getMessage());
    }
  }
}

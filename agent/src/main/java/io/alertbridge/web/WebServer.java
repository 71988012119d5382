package io.alertbridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read-only HTTP endpoint: {@code /metrics} (Prometheus text and OpenMetrics, by the scraper's
 * Accept header), {@code /healthz} (alive) and {@code /readyz} (ready for work). Anything but GET
 * and HEAD is refused.
 */
public final class WebServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the health endpoints report. */
  public interface Health {
    /** The process works: its threads run and no fatal error stopped it. */
    boolean alive();

    /** Why it cannot do its work now; empty when it can. */
    List<String> notReady();
  }

  private final HttpServer server;
  private final ExecutorService threads;

  private WebServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  public static WebServer start(
      InetSocketAddress address,
      PrometheusRegistry registry,
      Health health,
      StatusPage.Source status)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "alertbridge-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/metrics", readOnly(new MetricsHandler(registry)));
    server.createContext(
        "/healthz",
        readOnly(
            x ->
                respond(
                    x,
                    health.alive() ? 200 : 503,
                    "text/plain; charset=utf-8",
                    health.alive() ? "ok\n" : "not alive\n")));
    server.createContext(
        "/readyz",
        readOnly(
            x -> {
              List<String> why = health.notReady();
              respond(
                  x,
                  why.isEmpty() ? 200 : 503,
                  "application/json",
                  JSON.writeValueAsString(Map.of("ready", why.isEmpty(), "reasons", why)) + "\n");
            }));
    server.createContext(
        "/",
        readOnly(
            x -> {
              if (!x.getRequestURI().getPath().equals("/")) {
                respond(x, 404, "text/plain; charset=utf-8", "not found\n");
                return;
              }
              // No script runs on this page, and it loads nothing from anywhere.
              x.getResponseHeaders()
                  .set(
                      "Content-Security-Policy",
                      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
              respond(
                  x,
                  200,
                  "text/html; charset=utf-8",
                  StatusPage.render(status, query(x.getRequestURI().getRawQuery())));
            }));
    server.start();
    return new WebServer(server, threads);
  }

  /** The value of {@code q} in a query string, decoded; null when absent. */
  static String query(String raw) {
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("q")) {
        return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** Where it listens; the port is the one bound when port 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static HttpHandler readOnly(HttpHandler h) {
    return x -> {
      try {
        String method = x.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          x.getResponseHeaders().set("Allow", "GET, HEAD");
          respond(x, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n");
          return;
        }
        h.handle(x);
      } finally {
        x.close();
      }
    };
  }

  static void respond(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (x.getRequestMethod().equals("HEAD")) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

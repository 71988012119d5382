package io.alertbridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint: {@code /metrics} (Prometheus text and OpenMetrics, by the scraper's Accept
 * header), {@code /healthz} (alive), {@code /readyz} (ready for work) and, on listeners that serve
 * it, the status page {@code /}; these answer GET and HEAD only. Given {@link Writes}, the
 * status-page listeners also take an operator's changes ({@link Operator}): Alertmanager's silence
 * API, the page's silence forms and {@code POST /-/reload}, each write with a token. Given {@link
 * AckPage.Links}, they serve the page behind the acknowledge links in notifications ({@link
 * AckPage}).
 *
 * <p>Requests are read and responses written by {@link HttpFront} without a thread per client.
 * Health checks run on a thread of their own and everything else on a small pool, so neither slow
 * clients nor a long search can make a liveness probe fail.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No script runs on the page, it loads nothing from anywhere, and no other site may frame it. */
  static final String CSP =
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

  /** Requests waiting for a thread beyond this many get 503 at once instead of queueing. */
  private static final int QUEUED = 16;

  /** What the health endpoints report. */
  public interface Health {
    /** The process works: its threads run and no fatal error stopped it. */
    boolean alive();

    /** Why it cannot do its work now; empty when it can. */
    List<String> notReady();
  }

  /**
   * A socket to listen on.
   *
   * @param key the configuration key that asked for it, for error messages
   * @param statusPage whether it serves the status page as well as metrics and health
   */
  public record Listener(String key, InetSocketAddress address, boolean statusPage) {}

  /** A listener could not be bound: the address is in use, not local, or not allowed. */
  public static final class CannotListen extends IOException {
    private final transient Listener listener;

    CannotListen(Listener listener, IOException cause) {
      super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
      this.listener = listener;
    }

    public Listener listener() {
      return listener;
    }
  }

  private final HttpFront front;
  private final ExecutorService health;
  private final ExecutorService pages;

  /**
   * Writes wait for Kafka's acknowledgement: on a thread of their own they cannot make the status
   * page or a scrape wait, and one at a time they cannot pile up on a slow broker.
   */
  private final ExecutorService writers;

  private WebServer(HttpFront front) {
    this.front = front;
    this.health = pool("health", 1);
    this.pages = pool("page", 2);
    this.writers = pool("write", 1);
  }

  /**
   * Binds every listener now, so that an address in use is a startup error; nothing is served until
   * {@link #start}.
   */
  public static WebServer bind(List<Listener> listeners) throws CannotListen {
    return bind(listeners, HttpLimits.DEFAULT);
  }

  static WebServer bind(List<Listener> listeners, HttpLimits limits) throws CannotListen {
    return new WebServer(HttpFront.bind(listeners, limits));
  }

  /** Starts serving read-only: no silence API, no forms, no reload. */
  public void start(PrometheusRegistry registry, Health h, StatusPage.Source status)
      throws IOException {
    start(registry, h, status, null);
  }

  /**
   * Starts serving; with {@code writes}, the status-page listeners also serve Alertmanager's
   * silence API ({@code /api/v2/}), the status page's silence forms and {@code POST /-/reload}.
   *
   * @param writes null for a read-only endpoint
   */
  public void start(PrometheusRegistry registry, Health h, StatusPage.Source status, Writes writes)
      throws IOException {
    start(registry, h, status, writes, null);
  }

  /**
   * Starts serving; with {@code links}, the status-page listeners also serve the acknowledge links'
   * page {@code /ack/{token}}, whether or not {@code writes} are allowed: the link's token is its
   * own authority.
   *
   * @param writes null for no operator writes
   * @param links null when links are not configured ({@code http.public-url}): {@code /ack/} is 404
   */
  public void start(
      PrometheusRegistry registry,
      Health h,
      StatusPage.Source status,
      Writes writes,
      AckPage.Links links)
      throws IOException {
    MetricsScrape metrics = new MetricsScrape(registry);
    Operator operator = writes == null ? null : new Operator(writes, status);
    AckPage ack = links == null ? null : new AckPage(links);
    front.start(
        (request, reply) -> {
          if (request.statusPage() && AckPage.serves(request.path())) {
            if (ack == null) {
              reply.accept(notFound());
            } else {
              run(AckPage.writes(request) ? writers : pages, reply, () -> ack.handle(request));
            }
            return;
          }
          if (operator != null && request.statusPage() && operator.serves(request.path())) {
            boolean write = !request.method().equals("GET") && !request.method().equals("HEAD");
            run(write ? writers : pages, reply, () -> operator.handle(request));
            return;
          }
          if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            reply.accept(
                HttpResponse.text(405, "read-only: GET and HEAD only\n")
                    .with("Allow", "GET, HEAD"));
            return;
          }
          switch (request.path()) {
            case "/healthz" -> run(health, reply, () -> healthz(h));
            case "/readyz" -> run(health, reply, () -> readyz(h));
            case "/metrics" -> run(pages, reply, () -> metrics.scrape(request));
            case "/" -> {
              if (request.statusPage()) {
                run(pages, reply, () -> page(status, request, operator));
              } else {
                reply.accept(notFound());
              }
            }
            default -> reply.accept(notFound());
          }
        });
  }

  private interface Handler {
    HttpResponse handle() throws IOException;
  }

  private static void run(ExecutorService on, Consumer<HttpResponse> reply, Handler h) {
    try {
      on.execute(
          () -> {
            try {
              reply.accept(h.handle());
            } catch (IOException | RuntimeException e) {
              log.warn("HTTP request failed: {}", e.toString());
              reply.accept(HttpResponse.text(500, "internal error\n"));
            }
          });
    } catch (RejectedExecutionException e) {
      reply.accept(HttpResponse.text(503, "busy: too many requests waiting\n"));
    }
  }

  private static HttpResponse healthz(Health h) {
    boolean alive = h.alive();
    return HttpResponse.text(alive ? 200 : 503, alive ? "ok\n" : "not alive\n");
  }

  private static HttpResponse readyz(Health h) throws IOException {
    List<String> why = h.notReady();
    return HttpResponse.of(
        why.isEmpty() ? 200 : 503,
        "application/json",
        JSON.writeValueAsString(Map.of("ready", why.isEmpty(), "reasons", why)) + "\n");
  }

  private static HttpResponse page(StatusPage.Source status, HttpRequest request, Operator operator)
      throws IOException {
    String silences = operator == null ? "" : operator.silencesSection();
    return HttpResponse.of(
            200,
            "text/html; charset=utf-8",
            StatusPage.render(status, query(request.rawQuery()), silences))
        .with("Content-Security-Policy", CSP);
  }

  private static HttpResponse notFound() {
    return HttpResponse.text(404, "not found\n");
  }

  /** The value of {@code q} in a query string, decoded; null when absent. */
  static String query(String raw) {
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals("q")) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return pair.substring(eq + 1);
        }
      }
    }
    return null;
  }

  /** Where the first listener listens; the port is the one bound when port 0 was asked for. */
  public InetSocketAddress address() {
    return addresses().get(0);
  }

  /** Where each listener listens, in the order given to {@link #bind}. */
  public List<InetSocketAddress> addresses() {
    try {
      return front.addresses();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ExecutorService pool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUED),
        r -> {
          Thread t = new Thread(r, "alertbridge-http-" + name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void close() {
    front.close();
    health.shutdownNow();
    pages.shutdownNow();
    writers.shutdownNow();
  }
}

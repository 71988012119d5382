package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint against real sockets: what it serves, and what it survives. */
class WebServerTest {
  private static final HttpLimits TIGHT =
      new HttpLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), 8, 1024, 2048);

  private final List<Socket> clients = new ArrayList<>();
  private final CountDownLatch releaseSearch = new CountDownLatch(1);
  private WebServer server;

  @AfterEach
  void close() throws IOException {
    releaseSearch.countDown();
    for (Socket s : clients) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WebServer start(HttpLimits limits, boolean metricsListener) throws IOException {
    List<WebServer.Listener> listeners = new ArrayList<>();
    listeners.add(new WebServer.Listener("http.listen", loopback(), true));
    if (metricsListener) {
      listeners.add(new WebServer.Listener("http.metrics-listen", loopback(), false));
    }
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("test_events_total").register(registry).inc();
    server = WebServer.bind(listeners, limits);
    server.start(registry, new Up(), new BlockingSource(releaseSearch));
    return server;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  /** One request on a fresh connection; the whole response as text. */
  private static String get(InetSocketAddress a, String request) throws IOException {
    try (Socket s = new Socket(a.getAddress(), a.getPort())) {
      s.setSoTimeout(1000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String get(InetSocketAddress a, String method, String path) throws IOException {
    return get(a, method + " " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  private Socket halfRequest(InetSocketAddress a) throws IOException {
    Socket s = new Socket(a.getAddress(), a.getPort());
    clients.add(s);
    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  @Test
  void healthAnswersWhileManyMoreClientsThanTheCapHoldHalfARequest() throws Exception {
    InetSocketAddress a = start(TIGHT, false).address();
    for (int i = 0; i < 40; i++) {
      halfRequest(a);
    }

    assertThat(get(a, "GET", "/healthz"))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .endsWith("\r\n\r\nok\n");
    assertThat(get(a, "GET", "/readyz")).contains("\"ready\":true").contains("\"reasons\":[]");
  }

  @Test
  void aHalfRequestIsDroppedAtItsDeadline() throws Exception {
    Socket idle = halfRequest(start(TIGHT, false).address());
    idle.setSoTimeout(10_000);
    long started = System.nanoTime();

    // Reset, not closed: nothing of an abandoned request is worth a graceful goodbye.
    assertThatThrownBy(() -> idle.getInputStream().read())
        .isInstanceOf(java.net.SocketException.class)
        .hasMessageContaining("reset");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(9));
  }

  @Test
  void healthAnswersWhileASearchHoldsAPageThread() throws Exception {
    InetSocketAddress a = start(HttpLimits.DEFAULT, false).address();
    Socket searching = new Socket(a.getAddress(), a.getPort());
    clients.add(searching);
    searching
        .getOutputStream()
        .write("GET /?q=x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    assertThat(get(a, "GET", "/healthz")).startsWith("HTTP/1.1 200 OK");
    assertThat(get(a, "GET", "/metrics")).contains("test_events_total 1.0");
  }

  @Test
  void anOversizedRequestHeadIsRefused() throws Exception {
    InetSocketAddress a = start(TIGHT, false).address();

    String r = get(a, "GET /healthz HTTP/1.1\r\nX-Long: " + "a".repeat(2000) + "\r\n\r\n");

    assertThat(r).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
  }

  @Test
  void aMalformedRequestLineIsABadRequest() throws Exception {
    assertThat(get(start(TIGHT, false).address(), "GET healthz\r\n\r\n"))
        .startsWith("HTTP/1.1 400 Bad Request");
  }

  @Test
  void onlyGetAndHeadAreServed() throws Exception {
    InetSocketAddress a = start(TIGHT, false).address();

    assertThat(get(a, "POST", "/healthz"))
        .startsWith("HTTP/1.1 405 Method Not Allowed")
        .contains("Allow: GET, HEAD\r\n");
    assertThat(get(a, "HEAD", "/healthz"))
        .startsWith("HTTP/1.1 200 OK")
        .contains("Content-Length: 3\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void theStatusPageMayNotBeFramed() throws Exception {
    assertThat(get(start(TIGHT, false).address(), "GET", "/"))
        .startsWith("HTTP/1.1 200 OK")
        .contains(
            "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline';"
                + " form-action 'self'; frame-ancestors 'none'\r\n")
        .contains("<h1>alertbridge</h1>");
  }

  @Test
  void theMetricsListenerServesMetricsAndHealthButNotTheStatusPage() throws Exception {
    InetSocketAddress metrics = start(TIGHT, true).addresses().get(1);

    assertThat(get(metrics, "GET", "/")).startsWith("HTTP/1.1 404 Not Found");
    assertThat(get(metrics, "GET", "/metrics"))
        .startsWith("HTTP/1.1 200 OK")
        .contains("test_events_total 1.0");
    assertThat(get(metrics, "GET", "/healthz")).startsWith("HTTP/1.1 200 OK");
  }

  @Test
  void anAddressInUseNamesTheListenerThatAskedForIt() throws Exception {
    InetSocketAddress taken = start(TIGHT, false).address();

    assertThatThrownBy(
            () ->
                WebServer.bind(
                    List.of(
                        new WebServer.Listener("http.listen", loopback(), true),
                        new WebServer.Listener("http.metrics-listen", taken, false))))
        .isInstanceOfSatisfying(
            WebServer.CannotListen.class,
            e -> {
              assertThat(e.listener().key()).isEqualTo("http.metrics-listen");
              assertThat(e.getMessage()).containsIgnoringCase("address already in use");
            });
  }

  @Test
  void aSlowReaderIsCutOffWithoutHoldingAThread() throws Exception {
    InetSocketAddress a = start(TIGHT, false).address();
    Socket slow = new Socket();
    clients.add(slow);
    slow.setReceiveBufferSize(1024);
    slow.connect(a);
    // The status page is larger than the socket buffers once it lists the search's lines.
    slow.getOutputStream()
        .write("GET /?q=big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    releaseSearch.countDown();

    assertThat(get(a, "GET", "/healthz")).startsWith("HTTP/1.1 200 OK");
    InputStream in = slow.getInputStream();
    slow.setSoTimeout(10_000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThatThrownBy(() -> drainSlowly(in, got)).isInstanceOf(IOException.class);
  }

  /** Reads a byte every 100 ms until the server gives up on this reader. */
  private static void drainSlowly(InputStream in, OutputStream got) throws Exception {
    byte[] buf = new byte[16];
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < until) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("closed by the server after " + got);
      }
      got.write(buf, 0, n);
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static final class Up implements WebServer.Health {
    @Override
    public boolean alive() {
      return true;
    }

    @Override
    public List<String> notReady() {
      return List.of();
    }
  }

  /** A status source whose search waits for the test; {@code big} finds many long lines. */
  private record BlockingSource(CountDownLatch release) implements StatusPage.Source {
    @Override
    public String version() {
      return "test";
    }

    @Override
    public Duration uptime() {
      return Duration.ofMinutes(1);
    }

    @Override
    public List<StatusPage.Server> servers() {
      return List.of();
    }

    @Override
    public List<StatusPage.Partition> partitions() {
      return List.of();
    }

    @Override
    public List<StatusPage.Line> recent() {
      return List.of();
    }

    @Override
    public StatusPage.Found search(String query) {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<StatusPage.Line> lines = new ArrayList<>();
      for (int i = 0; query.equals("big") && i < 5000; i++) {
        String s = "x".repeat(200);
        lines.add(new StatusPage.Line(s, s, s, s, s, s, s, s));
      }
      return new StatusPage.Found(lines, null);
    }
  }
}

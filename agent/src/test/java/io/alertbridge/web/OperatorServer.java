package io.alertbridge.web;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web server with the silence API on a status-page listener and a metrics-only listener, over an
 * in-memory store; tokens {@code alice} and {@code bob}, or none when auth is off.
 */
public final class OperatorServer implements AutoCloseable {
  static final String ALICE = "alice-0123456789abcdef";
  static final String BOB = "bob-fedcba9876543210";

  final InMemorySilenceStore store = new InMemorySilenceStore(Clock.systemUTC());
  final RecordingWriteLog log = new RecordingWriteLog();
  final AtomicInteger reloads = new AtomicInteger();
  volatile List<String> reloadProblems = List.of();
  final WebServer server;

  OperatorServer(boolean auth) throws IOException {
    Tokens tokens = auth ? Tokens.of(Map.of("alice", ALICE, "bob", BOB)) : null;
    Reloader reloader =
        () -> {
          reloads.incrementAndGet();
          return new Reloader.Result(reloadProblems);
        };
    server =
        WebServer.bind(
            List.of(
                new WebServer.Listener("http.listen", loopback(), true),
                new WebServer.Listener("http.metrics-listen", loopback(), false)),
            new HttpLimits(Duration.ofSeconds(2), Duration.ofSeconds(5), 16, 4096, 64 * 1024));
    server.start(
        new PrometheusRegistry(),
        new Up(),
        new EmptySource(),
        new Writes(store, tokens, reloader, log));
  }

  InetSocketAddress page() {
    return server.addresses().get(0);
  }

  InetSocketAddress metrics() {
    return server.addresses().get(1);
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress("127.0.0.1", 0);
  }

  @Override
  public void close() {
    server.close();
  }

  public static final class Up implements WebServer.Health {
    @Override
    public boolean alive() {
      return true;
    }

    @Override
    public List<String> notReady() {
      return List.of();
    }
  }

  /** A status source with nothing to show but its version. */
  public static final class EmptySource implements StatusPage.Source {
    @Override
    public String version() {
      return "1.4.0";
    }

    @Override
    public Duration uptime() {
      return Duration.ofMinutes(5);
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
      return new ArrayList<>();
    }

    @Override
    public StatusPage.Found search(String query) {
      return new StatusPage.Found(List.of(), null);
    }
  }
}

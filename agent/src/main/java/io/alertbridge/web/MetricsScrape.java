package io.alertbridge.web;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /metrics} through the Prometheus client's own scrape handler, so the format (text,
 * OpenMetrics, protobuf), name filters and gzip follow the scraper's request exactly as its
 * exporters do; only the socket is ours.
 */
final class MetricsScrape {
  private final PrometheusScrapeHandler handler;

  MetricsScrape(PrometheusRegistry registry) {
    this.handler = new PrometheusScrapeHandler(registry);
  }

  HttpResponse scrape(HttpRequest request) throws IOException {
    Exchange x = new Exchange(request);
    handler.handleRequest(x);
    String type = x.headers.getOrDefault("Content-Type", "text/plain; charset=utf-8");
    HttpResponse r = new HttpResponse(x.status, type, x.body.toByteArray(), Map.of());
    for (Map.Entry<String, String> h : x.headers.entrySet()) {
      if (!h.getKey().equalsIgnoreCase("Content-Type")
          && !h.getKey().equalsIgnoreCase("Content-Length")) {
        r = r.with(h.getKey(), h.getValue());
      }
    }
    return r;
  }

  private static final class Exchange implements PrometheusHttpExchange {
    private final HttpRequest request;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
    private int status = 500;

    Exchange(HttpRequest request) {
      this.request = request;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return new PrometheusHttpRequest() {
        @Override
        public String getQueryString() {
          return request.rawQuery();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
          String v = request.headers().get(name.toLowerCase(java.util.Locale.ROOT));
          return v == null
              ? Collections.emptyEnumeration()
              : Collections.enumeration(java.util.List.of(v));
        }

        @Override
        public String getMethod() {
          return request.method();
        }

        @Override
        public String getRequestPath() {
          return request.path();
        }
      };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return new PrometheusHttpResponse() {
        @Override
        public void setHeader(String name, String value) {
          headers.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
          status = statusCode;
          return body;
        }
      };
    }

    @Override
    public void handleException(IOException e) throws IOException {
      throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
      throw e;
    }

    @Override
    public void close() {
      // The response is sent by the caller, from what this exchange collected.
    }
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}, {@code /healthz} and {@code /readyz} of a running daemon, read over HTTP while
 * it mails through a real broker and SMTP server, and while its only server is down.
 */
@ExtendWith(KafkaFixture.class)
class MetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  static final String WITH_HTTP =
      ConfigFixtures.VALID
          .replace("audit:\n", "http:\n  listen: 127.0.0.1:0\naudit:\n")
          .replace(
              "  connect-timeout: 2s\n",
              "  connect-timeout: 2s\n"
                  + "  circuit-breaker: {failure-rate: 50%, minimum-calls: 2, open-for: 1m}\n");

  private static HttpResponse<String> get(String url, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCountTheMailAndHealthSaysReadyUntilEveryServerIsDown(KafkaFixture.Broker kafka)
      throws Exception {
    SmtpSink sink = SmtpSink.start();
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), WITH_HTTP)) {
      String base = d.httpBase();
      assertThat(get(base + "/healthz", "*/*").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(base + "/readyz", "*/*").statusCode() == 200);
      assertThat(get(base + "/readyz", "*/*").body()).contains("\"ready\":true");

      d.produce(Events.info("m-1", "Bilge pump running", ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
      // The consumer's figures are published once a second, after a poll.
      String lag =
          "alertbridge_consumer_lag_records{partition=\"0\",topic=\"" + d.topic + "\"} 0.0";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                String body = get(base + "/metrics", "text/plain").body();
                return body.contains("alertbridge_mails_total{") && body.contains(lag);
              });
      String text = get(base + "/metrics", "text/plain").body();
      assertThat(text)
          .contains(
              "alertbridge_mails_total{outcome=\"sent\",route=\"default\",server=\"127.0.0.1:"
                  + sink.port()
                  + "\"} 1.0")
          .contains(
              "alertbridge_events_total{outcome=\"mailed\",reason=\"\",topic=\""
                  + d.topic
                  + "\"} 1.0")
          .contains(
              "alertbridge_smtp_attempts_total{result=\"2xx\",server=\"127.0.0.1:"
                  + sink.port()
                  + "\"} 1.0")
          .contains("alertbridge_delivery_latency_seconds_count{from=\"record\"} 1")
          .contains("alertbridge_delivery_latency_seconds_count{from=\"event\"} 1")
          .contains(
              "alertbridge_smtp_circuit_state{server=\"127.0.0.1:"
                  + sink.port()
                  + "\",state=\"closed\"} 1.0")
          .contains(
              "alertbridge_consumer_lag_records{partition=\"0\",topic=\"" + d.topic + "\"} 0.0")
          .contains("alertbridge_build_info{version=")
          .contains("alertbridge_last_successful_mail_timestamp_seconds ")
          .contains("jvm_memory_used_bytes");
      HttpResponse<String> open =
          get(base + "/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
      assertThat(open.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(open.body()).endsWith("# EOF\n");
      promtoolAccepts(text);

      HttpResponse<String> post =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);

      // The only server goes away: its circuit opens and the daemon is alive but not ready.
      sink.close();
      d.produce(Events.info("m-2", "Bilge pump running", ""));
      d.produce(Events.info("m-3", "Bilge pump running", ""));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(base + "/readyz", "*/*").statusCode() == 503);
      assertThat(get(base + "/readyz", "*/*").body())
          .contains("no SMTP server available")
          .contains("circuit open");
      assertThat(get(base + "/healthz", "*/*").statusCode()).isEqualTo(200);
      assertThat(get(base + "/metrics", "text/plain").body())
          .contains("alertbridge_smtp_attempts_total{result=\"io_error\"");
    }
  }

  @Test
  void thePolicyStagesStateLagAndCountersAreThereFromStart(KafkaFixture.Broker kafka)
      throws Exception {
    SmtpSink sink = SmtpSink.start();
    String policyOn = WITH_HTTP.replace(StartupTopicsIT.POLICY_OFF, "");
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), policyOn)) {
      String base = d.httpBase();
      // Before the first event: every series a rule or panel reads is there, at 0.
      String first = get(base + "/metrics", "text/plain").body();
      assertThat(first)
          .contains(
              "alertbridge_dead_letter_writes_total{result=\"failed\"} 0.0",
              "alertbridge_events_total{outcome=\"invalid\",reason=\"\",topic=\""
                  + d.topic
                  + "\"} 0.0",
              "alertbridge_mails_total{outcome=\"sent\",route=\"default\",server=\"127.0.0.1:"
                  + sink.port()
                  + "\"} 0.0",
              "alertbridge_policy_thread_replacements_total 0.0",
              "alertbridge_policy_suppressed_events_total{reason=\"stale\"} 0.0",
              "alertbridge_policy_suppressed_events_total{reason=\"superseded\"} 0.0",
              "alertbridge_policy_lag_records{topic=\"" + d.topic + "\"}",
              "alertbridge_policy_state{state=\"running\"}",
              "process_start_time_seconds ");
      promtoolAccepts(first);

      // Ready while it rebalances (briefly); the metric tells the two apart.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  get(base + "/metrics", "text/plain")
                      .body()
                      .contains("alertbridge_policy_state{state=\"running\"} 1.0"));
      assertThat(get(base + "/metrics", "text/plain").body())
          .contains("alertbridge_policy_state{state=\"not_started\"} 0.0");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(base + "/readyz", "*/*").statusCode() == 200);

      d.produce(Events.info("p-1", "Bilge pump running", ""));
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == 1);
      // Sampled every 10 s from the broker: once the stage committed, nothing is behind.
      String events = d.group + ".state-events";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                String body = get(base + "/metrics", "text/plain").body();
                return body.contains(
                        "alertbridge_policy_lag_records{topic=\"" + d.topic + "\"} 0.0")
                    && body.contains(
                        "alertbridge_policy_lag_records{topic=\"" + events + "\"} 0.0");
              });
      promtoolAccepts(get(base + "/metrics", "text/plain").body());
    } finally {
      sink.close();
    }
  }

  /** Prometheus's own linter on our exposition, when promtool is installed (CI installs it). */
  static void promtoolAccepts(String exposition) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have promtool");
      return;
    }
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // promtool warns about the JVM's own metric names; ours must draw no complaint.
    List<String> ours = out.lines().filter(l -> l.startsWith("alertbridge_")).toList();
    assertThat(ours).as(out).isEmpty();
  }
}

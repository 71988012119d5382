package io.alertbridge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.metrics.Metrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked of deploy/ on a machine without a container engine: the alert rules with
 * promtool, the metric names the rules and the dashboard use against the ones the daemon exports,
 * the Kubernetes manifests' fields and the configuration inside them, the compose file and the
 * Dockerfile's build command.
 */
class DeployKitTest {
  private static final Path DEPLOY = Path.of("../deploy");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern METRIC = Pattern.compile("alertbridge_[a-z_]+");

  @TempDir Path dir;

  private static JsonNode yaml(String file) throws Exception {
    return YAML.readTree(DEPLOY.resolve(file).toFile());
  }

  @Test
  void theAlertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have promtool");
      Assumptions.abort("promtool is not installed (apt-get install prometheus)");
    }
    for (List<String> args :
        List.of(
            List.of("check", "rules", "alertbridge-rules.yml"),
            List.of("test", "rules", "alertbridge-rules.test.yml"))) {
      List<String> command = new ArrayList<>(List.of(promtool.toString()));
      command.addAll(args);
      Process p =
          new ProcessBuilder(command)
              .directory(DEPLOY.resolve("prometheus").toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
      assertThat(out).contains("SUCCESS");
    }
  }

  @Test
  void theRulesAndTheDashboardUseOnlyMetricsTheDaemonExports() throws Exception {
    Metrics metrics = new Metrics("test");
    metrics.watchConsumer(() -> io.alertbridge.kafka.ConsumerStatus.STARTING);
    metrics.watchServers(List::of);
    metrics.watchPolicy(List.of("running"), () -> "running", () -> 0, Map::of);
    new io.alertbridge.metrics.PolicyMetrics(metrics.registry()); // as the daemon registers it
    Set<String> exported = new TreeSet<>();
    for (MetricSnapshot s : metrics.registry().scrape()) {
      exported.add(base(s.getMetadata().getPrometheusName()));
    }
    Set<String> used = new TreeSet<>();
    for (String file : List.of("prometheus/alertbridge-rules.yml", "grafana/alertbridge.json")) {
      Matcher m = METRIC.matcher(Files.readString(DEPLOY.resolve(file)));
      while (m.find()) {
        used.add(base(m.group()));
      }
    }
    assertThat(used).hasSizeGreaterThan(8);
    assertThat(exported).containsAll(used);
    // AlertbridgeRestarting and the restarts panel read the JVM's process metrics.
    assertThat(exported).contains("process_start_time_seconds");
    JsonNode dashboard =
        new ObjectMapper().readTree(DEPLOY.resolve("grafana/alertbridge.json").toFile());
    assertThat(dashboard.get("uid").asText()).isEqualTo("alertbridge");
    assertThat(dashboard.get("panels")).allSatisfy(p -> assertThat(p.get("targets")).isNotEmpty());
  }

  @Test
  void theSeriesTheRulesReadExistFromStartAtZero() throws Exception {
    Metrics metrics = new Metrics("test");
    metrics.preset(List.of("alerts"), List.of("default"), List.of("relay:25"));
    metrics.watchPolicy(
        List.of("not_started", "running"),
        () -> "not_started",
        () -> 0,
        () -> Map.of("alerts", 0L));
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(text, metrics.registry().scrape());
    assertThat(text.toString(StandardCharsets.UTF_8))
        .contains(
            "alertbridge_dead_letter_writes_total{result=\"failed\"} 0.0",
            "alertbridge_dead_letter_writes_total{result=\"written\"} 0.0",
            "alertbridge_events_total{outcome=\"dead_lettered\",reason=\"\",topic=\"alerts\"} 0.0",
            "alertbridge_events_total{outcome=\"invalid\",reason=\"\",topic=\"alerts\"} 0.0",
            "alertbridge_mails_total{outcome=\"sent\",route=\"default\",server=\"relay:25\"} 0.0",
            "alertbridge_audit_write_failures_total 0.0",
            // AlertbridgeConfigReloadFailed: 1 from start, as Alertmanager's.
            "alertbridge_config_last_reload_successful 1.0",
            "alertbridge_policy_state{state=\"not_started\"} 1.0",
            "alertbridge_policy_state{state=\"running\"} 0.0",
            "alertbridge_policy_thread_replacements_total 0.0",
            "alertbridge_policy_lag_records{topic=\"alerts\"} 0.0",
            "alertbridge_policy_suppressed_events_total{reason=\"stale\"} 0.0",
            "alertbridge_policy_suppressed_events_total{reason=\"superseded\"} 0.0");
  }

  /** The name without the suffixes exposition adds: _total, _bucket, _count, _sum, _info. */
  private static String base(String name) {
    return name.replaceAll("_(total|bucket|count|sum|created|info)$", "");
  }

  @Test
  void theKubernetesManifestsHaveWhatADeploymentNeedsAndTheirConfigurationLoads() throws Exception {
    Map<String, JsonNode> byKind = new HashMap<>();
    try (var files = Files.list(DEPLOY.resolve("kubernetes"))) {
      for (Path f : files.sorted().toList()) {
        JsonNode doc = YAML.readTree(f.toFile());
        assertThat(doc.path("apiVersion").asText()).as(f.toString()).isNotEmpty();
        assertThat(doc.path("metadata").path("name").asText())
            .as(f.toString())
            .isEqualTo(
                doc.path("kind").asText().equals("Secret") ? "alertbridge-secrets" : "alertbridge");
        byKind.put(doc.path("kind").asText(), doc);
      }
    }
    assertThat(byKind)
        .containsOnlyKeys(
            "Deployment",
            "ConfigMap",
            "Secret",
            "Service",
            "PodDisruptionBudget",
            "PodMonitor",
            "NetworkPolicy");

    JsonNode deployment = byKind.get("Deployment").path("spec");
    assertThat(deployment.path("replicas").asInt()).isEqualTo(2);
    JsonNode pod = deployment.path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("ports")).hasSize(1);
    assertThat(container.path("ports").get(0).path("name").asText()).isEqualTo("metrics");
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9464);
    assertThat(container.path("livenessProbe").path("httpGet").toString())
        .isEqualTo("{\"path\":\"/healthz\",\"port\":\"metrics\"}");
    assertThat(container.path("readinessProbe").path("httpGet").toString())
        .isEqualTo("{\"path\":\"/readyz\",\"port\":\"metrics\"}");
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(999);
    // The Pod Security "restricted" level, and no API token in a pod that never uses one.
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    assertThat(pod.path("automountServiceAccountToken").isBoolean()).isTrue();
    assertThat(pod.path("automountServiceAccountToken").asBoolean()).isFalse();
    // delivery.shutdown-timeout (30 s) + the policy stage's close (30 s) + margin.
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
    // Secrets are files, not environment variables.
    assertThat(container.has("envFrom")).isFalse();
    assertThat(container.path("env").toString()).doesNotContainIgnoringCase("password");
    assertThat(pod.path("volumes").toString())
        .contains("{\"name\":\"secrets\",\"secret\":{\"secretName\":\"alertbridge-secrets\"");
    assertThat(pod.path("volumes").toString()).doesNotContain("Memory");
    assertThat(Files.readString(DEPLOY.resolve("Dockerfile"))).contains("--uid 999");
    JsonNode pdb = byKind.get("PodDisruptionBudget").path("spec");
    assertThat(pdb.path("minAvailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("unhealthyPodEvictionPolicy").asText()).isEqualTo("AlwaysAllow");
    assertThat(byKind.get("Service").path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("metrics");
    JsonNode netpol = byKind.get("NetworkPolicy").path("spec");
    assertThat(netpol.path("policyTypes").toString()).isEqualTo("[\"Ingress\"]");
    assertThat(netpol.path("ingress")).hasSize(1);
    assertThat(netpol.path("ingress").get(0).path("ports").toString())
        .isEqualTo("[{\"protocol\":\"TCP\",\"port\":9464}]");
    assertThat(
            byKind
                .get("PodMonitor")
                .path("spec")
                .path("podMetricsEndpoints")
                .get(0)
                .path("port")
                .asText())
        .isEqualTo("metrics");

    // The ConfigMap's configuration is valid as the pod would load it, with the Secret's files
    // where the pod mounts them, and listens where the probes look.
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    byKind
        .get("Secret")
        .path("stringData")
        .properties()
        .forEach(e -> write(secrets.resolve(e.getKey()), e.getValue().asText()));
    JsonNode data = byKind.get("ConfigMap").path("data");
    data.fieldNames()
        .forEachRemaining(
            name ->
                write(
                    dir.resolve(name),
                    data.get(name)
                        .asText()
                        .replace("/etc/alertbridge-secrets/", secrets.toString() + "/")));
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    AlertbridgeConfig c = new ConfigLoader(env).load(dir.resolve("alertbridge.yaml"));
    assertThat(c.smtp().servers().get(0).password()).isEqualTo("change-me");
    assertThat(c.http().listen()).isEqualTo("127.0.0.1:9463");
    assertThat(c.http().metricsListen()).isEqualTo("0.0.0.0:9464");
    assertThat(c.audit().file()).startsWith("/var/lib/alertbridge/");
    assertThat(container.path("args").toString()).contains("/etc/alertbridge/alertbridge.yaml");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theComposeFileWiresKafkaMailpitPrometheusAndGrafanaToAlertbridge() throws Exception {
    JsonNode services = yaml("compose.yaml").path("services");
    assertThat(services.fieldNames())
        .toIterable()
        .contains("kafka", "alertbridge", "mailpit", "prometheus", "grafana");
    assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
    // Published on the host's loopback only: the status page and Grafana ask for no password.
    services.forEach(
        service ->
            service
                .path("ports")
                .forEach(port -> assertThat(port.asText()).startsWith("127.0.0.1:")));
    JsonNode ab = services.path("alertbridge");
    assertThat(ab.path("ports").toString()).contains("127.0.0.1:9463:9463", "127.0.0.1:9464:9464");
    assertThat(ab.path("stop_grace_period").asText()).isEqualTo("90s");
    assertThat(ab.path("environment").path("SMTP_HOST").asText()).isEqualTo("mailpit");
    assertThat(ab.path("read_only").asBoolean()).isTrue();
    assertThat(ab.path("build").path("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
    JsonNode scrape = yaml("prometheus/prometheus.yml").path("scrape_configs").get(0);
    assertThat(scrape.path("static_configs").get(0).path("targets").get(0).asText())
        .isEqualTo("alertbridge:9464");
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    // The image builds with the README's command and runs as a non-root user with a health check.
    assertThat(dockerfile)
        .contains("RUN ./mvnw -q -DskipTests package")
        .contains("USER alertbridge")
        .contains("HEALTHCHECK")
        .contains("/healthz")
        .contains("HTTP_LISTEN=127.0.0.1:9463")
        .contains("HTTP_METRICS_LISTEN=0.0.0.0:9464")
        .contains("-XX:MaxRAMPercentage=40")
        .contains("--stop-timeout 90");
    // The build context leaves history, local builds and secrets out, and keeps what it builds.
    List<String> ignored = Files.readAllLines(DEPLOY.resolveSibling(".dockerignore"));
    assertThat(ignored).contains(".git", "**/target", "demo-out", "**/*.pem");
    assertThat(ignored).noneMatch(l -> l.matches("(agent|embedded|config|deploy|\\.mvn|mvnw).*"));
    // Both the image and the systemd unit start the daemon through the launcher, with its
    // class-data archive in the daemon's writable state folder (LauncherIT runs the launcher).
    assertThat(dockerfile)
        .contains("COPY --from=build /src/deploy/bin/alertbridge /opt/alertbridge/bin/alertbridge")
        .contains("ENTRYPOINT [\"/opt/alertbridge/bin/alertbridge\"]")
        .contains("ALERTBRIDGE_CDS_ARCHIVE=/var/lib/alertbridge/alertbridge.jsa");
    String unit = Files.readString(DEPLOY.resolve("alertbridge.service"));
    assertThat(unit)
        .contains("ExecStart=/opt/alertbridge/bin/alertbridge run")
        .contains("Environment=ALERTBRIDGE_CDS_ARCHIVE=/var/lib/alertbridge/alertbridge.jsa")
        // The unit creates its state folder, waits out the shutdown budget, and starts without
        // the optional credential file.
        .contains("StateDirectory=alertbridge\n")
        .contains("TimeoutStopSec=90s\n")
        .contains("LoadCredential=smtp-password:/etc/alertbridge/smtp-password\n")
        .contains("SetCredential=smtp-password:\n")
        .doesNotContain("ReadWritePaths");
    assertThat(Files.isExecutable(DEPLOY.resolve("bin/alertbridge"))).isTrue();
  }
}

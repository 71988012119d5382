package io.alertbridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.pool.ServerStatus;
import io.alertbridge.smtp.pool.SmtpPool;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload against the real loader, planner and pool; nothing is sent, so no SMTP is needed. */
class ConfigReloaderTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T13:06:00Z"), ZoneOffset.UTC);
  private static final String EVENT =
      """
      {"id": "e-1", "time": "2026-11-28T13:05:00Z", "source": "engine-room/plc-3",
       "type": "overtemp", "severity": "info", "summary": "T3 high", "labels": {"room": "engine"}}
      """;

  @TempDir Path dir;
  private Path file;
  private LivePlanner planner;
  private SmtpPool pool;
  private Metrics metrics;
  private ConfigReloader reloader;
  private LiveConfig live;
  private ConfigLoader loader;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @BeforeEach
  void start() throws Exception {
    file = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    loader =
        new ConfigLoader(
            ConfigFixtures.env("localhost:9092", "alerts", "ab", 2525, dir.resolve("audit.jsonl")));
    AlertbridgeConfig config = loader.load(file);
    DeliveryInput input =
        DirectPathWiring.build(
            config,
            CLOCK,
            new EventDecoder(64 * 1024),
            Router.of(config),
            LiveConfig.composer(config, CLOCK, null),
            new PolicySwitch(config, KafkaClientFactory.REAL));
    planner = new LivePlanner(input.planner());
    pool = SmtpWiring.pool(config.smtp(), CLOCK);
    metrics = new Metrics("test");
    live = new LiveConfig(config, CLOCK, metrics, planner, input, pool, workers, null);
    reloader = new ConfigReloader(() -> loader.load(file), live);
  }

  @AfterEach
  void stop() {
    pool.close();
    workers.shutdownNow();
  }

  private void edit(String from, String to) throws Exception {
    String yaml = Files.readString(file);
    assertThat(yaml).contains(from);
    Files.writeString(file, yaml.replace(from, to));
  }

  private MailPlanner.PlannedMail planned() {
    MailPlanner.Plan plan =
        planner.plan(
            new InboundRecord(
                "alerts", 0, 7, null, EVENT.getBytes(StandardCharsets.UTF_8), List.of(), 0));
    assertThat(plan).isInstanceOf(MailPlanner.Mails.class);
    return ((MailPlanner.Mails) plan).mails().get(0);
  }

  private String subject() throws Exception {
    return planned().build().build().message().getSubject();
  }

  private String scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aValidChangeSwapsRecipientsAndTemplatesForTheNextRecord() throws Exception {
    assertThat(subject()).isEqualTo("info: T3 high");
    edit("to: [ops@plant.example]", "to: [night.shift@plant.example]");
    edit(
        "subject: \"{{ event.severity }}: {{ event.summary }}\"",
        "subject: \"NEW {{ event.summary }}\"");

    ConfigReloader.Result r = reloader.reload();

    assertThat(r).isEqualTo(new ConfigReloader.Result(true, List.of(), List.of()));
    assertThat(planned().recipients())
        .containsExactly(new InternetAddress("night.shift@plant.example"));
    assertThat(subject()).isEqualTo("NEW T3 high");
    assertThat(scrape())
        .contains(
            "alertbridge_config_last_reload_successful 1.0",
            "alertbridge_config_last_reload_success_timestamp_seconds 1.79587116E9");
  }

  @Test
  void anInvalidFileKeepsTheRunningConfigAndReturnsEveryProblem() throws Exception {
    edit("to: [ops@plant.example]", "to: [night.shift@plant.example]");
    edit("template: plain", "template: missing");
    edit("connect-timeout: 2s", "connect-timeout: soon");

    ConfigReloader.Result r = reloader.reload();

    assertThat(r.ok()).isFalse();
    assertThat(r.problems())
        .containsExactly(
            "smtp.connect-timeout: must be a duration such as 250ms, 5s, 2m, 1h, 1d or ISO-8601"
                + " (PT5S) (found: \"soon\")");
    assertThat(planned().recipients()).containsExactly(new InternetAddress("ops@plant.example"));
    assertThat(scrape()).contains("alertbridge_config_last_reload_successful 0.0");
  }

  @Test
  void everyValidationProblemIsReturnedAsCheckConfigPrintsIt() throws Exception {
    edit("template: plain", "template: missing");
    edit("to: [list:engine-oncall]", "to: [list:nobody]");

    ConfigReloader.Result r = reloader.reload();

    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).hasSize(2);
    assertThat(String.join("\n", r.problems())).contains("routes[1].template", "routes[0].to");
    assertThat(subject()).isEqualTo("info: T3 high");
  }

  @Test
  void restartOnlyKeysAreNamedByKeyPathAndTheRestStillApplies() throws Exception {
    edit("group-id: ${GROUP:-alertbridge-test}", "group-id: other-group");
    edit("poll-timeout: 50ms", "poll-timeout: 100ms");
    edit("shutdown-timeout: 5s", "shutdown-timeout: 6s");
    edit("to: [ops@plant.example]", "to: [night.shift@plant.example]");

    ConfigReloader.Result r = reloader.reload();

    assertThat(r.ok()).isTrue();
    assertThat(r.needsRestart())
        .containsExactly(
            "kafka.group-id changed: needs a restart; keeping \"ab\" (found: \"other-group\")",
            "kafka.poll-timeout changed: needs a restart; keeping 50ms (found: 100ms)",
            "delivery.shutdown-timeout changed: needs a restart; keeping 5s (found: 6s)");
    assertThat(planned().recipients())
        .containsExactly(new InternetAddress("night.shift@plant.example"));
  }

  @Test
  void anAddedServerJoinsThePoolAndAnUnchangedOneStays() throws Exception {
    edit(
        "    - host: 127.0.0.1\n      port: ${SMTP_PORT:-25}\n",
        "    - host: 127.0.0.1\n      port: ${SMTP_PORT:-25}\n"
            + "    - {name: backup, host: 127.0.0.2, port: 25, priority: 2}\n");

    assertThat(reloader.reload().ok()).isTrue();

    assertThat(pool.status())
        .extracting(ServerStatus::name)
        .containsExactly("127.0.0.1:2525", "backup");
  }

  @Test
  void reloadsFromAnyTriggerRunOneAtATime() throws Exception {
    java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most =
        new java.util.concurrent.atomic.AtomicInteger();
    ConfigSource slow =
        () -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(50);
            return loader.load(file);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          } finally {
            running.decrementAndGet();
          }
        };
    // Two reloaders of one daemon, as SIGHUP and POST /-/reload each have one.
    ConfigReloader a = new ConfigReloader(slow, live);
    ConfigReloader b = new ConfigReloader(slow, live);
    ExecutorService triggers = Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<ConfigReloader.Result>> results = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      results.add(triggers.submit((i % 2 == 0 ? a : b)::reload));
    }
    for (var r : results) {
      assertThat(r.get().ok()).isTrue();
    }
    triggers.shutdown();
    assertThat(most).hasValue(1);
  }

  @Test
  void thePolicysRulesAreReplacedWholeWithTheNextVersion() throws Exception {
    AlertbridgeConfig config = live.current();
    io.alertbridge.policy.LiveRules rules =
        new io.alertbridge.policy.LiveRules(
            io.alertbridge.policy.PolicyRules.of(config, Router.of(config), 0));
    DeliveryInput policyPath =
        new DeliveryInput(
            planner,
            config.kafka(),
            java.util.Optional.empty(),
            java.util.Optional.of(rules),
            (c, r, comp) -> planner);
    ConfigReloader policyReloader =
        new ConfigReloader(
            () -> loader.load(file),
            new LiveConfig(config, CLOCK, metrics, planner, policyPath, pool, workers, null));
    edit("to: [ops@plant.example]", "to: [night.shift@plant.example]");

    assertThat(policyReloader.reload().ok()).isTrue();

    assertThat(rules.get().version()).isEqualTo(1);
    assertThat(rules.get().router().routes().get(1).recipients(Instant.EPOCH))
        .containsExactly(new InternetAddress("night.shift@plant.example"));
  }
}

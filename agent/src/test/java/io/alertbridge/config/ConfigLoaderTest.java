package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.smtp.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private AlertbridgeConfig load(String yaml, Map<String, String> env) throws Exception {
    return new ConfigLoader(env).load(ConfigFixtures.write(dir, yaml));
  }

  private ConfigException failure(String yaml, Map<String, String> env) {
    return (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml, env));
  }

  @Test
  void shippedExampleLoadsWithItsDefaults() throws Exception {
    Path shipped = Path.of("../config/alertbridge.yaml");
    AlertbridgeConfig c = new ConfigLoader(Map.of()).load(shipped);
    assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.kafka().groupId()).isEqualTo("alertbridge");
    assertThat(c.kafka().topics()).containsExactly("alerts");
    assertThat(c.smtp().servers().get(0).port()).isEqualTo(25);
    assertThat(c.smtp().servers().get(0).tls()).isEqualTo(TlsMode.NONE);
    assertThat(c.smtp().servers().get(0).username()).isNull();
    assertThat(c.audit().file()).isEqualTo("audit/audit.jsonl");
    assertThat(Path.of(c.templates().get("overtemp").html()))
        .isEqualTo(
            shipped.toAbsolutePath().getParent().resolve("templates/overtemp.html").normalize());
  }

  @Test
  void shippedExampleReadsItsEnvironmentVariables() throws Exception {
    AlertbridgeConfig c =
        new ConfigLoader(
                Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    "kafka-1:9093",
                    "KAFKA_GROUP_ID",
                    "g",
                    "ALERT_TOPIC",
                    "plant",
                    "SMTP_HOST",
                    "mx.plant.example",
                    "SMTP_PORT",
                    "587",
                    "SMTP_TLS",
                    "starttls",
                    "SMTP_USERNAME",
                    "alertbridge",
                    "SMTP_PASSWORD",
                    "s3cret",
                    "AUDIT_FILE",
                    "/var/log/a.jsonl"))
            .load(Path.of("../config/alertbridge.yaml"));
    SmtpServerSettings server = c.smtp().servers().get(0);
    assertThat(c.kafka().bootstrapServers()).isEqualTo("kafka-1:9093");
    assertThat(c.kafka().topics()).containsExactly("plant");
    assertThat(server.address()).isEqualTo("mx.plant.example:587");
    assertThat(server.tls()).isEqualTo(TlsMode.STARTTLS);
    assertThat(server.password()).isEqualTo("s3cret");
    assertThat(server.toString()).doesNotContain("s3cret").contains("password=***");
    assertThat(c.audit().file()).isEqualTo("/var/log/a.jsonl");
  }

  @Test
  void parsesHumaneDurationsAndAppliesDefaults() throws Exception {
    AlertbridgeConfig c = load(ConfigFixtures.VALID, Map.of());
    assertThat(c.smtp().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.smtp().writeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.smtp().retry().initialBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.smtp().retry().multiplier()).isEqualTo(2.0);
    assertThat(c.kafka().maxEventSize()).isEqualTo(DataSize.ofMebibytes(1));
    assertThat(c.smtp().envelopeSender()).isEqualTo("alerts@plant.example");
    assertThat(c.policy().commitInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void perMailLogLinesAreOnUnlessSwitchedOff() throws Exception {
    assertThat(load(ConfigFixtures.VALID, Map.of()).logging().mailLines()).isTrue();
    AlertbridgeConfig quiet =
        load(ConfigFixtures.VALID + "logging:\n  mail-lines: false\n", Map.of());
    assertThat(quiet.logging().mailLines()).isFalse();
    assertThat(quiet.logging().format()).isEqualTo("text");
  }

  @Test
  void unknownKeyNamesItsPathAndTheKnownKeys() {
    ConfigException e =
        failure(ConfigFixtures.VALID.replace("poll-timeout: 50ms", "pol-timeout: 50ms"), Map.of());
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).path()).isEqualTo("kafka.pol-timeout");
    assertThat(e.getMessage())
        .startsWith("kafka.pol-timeout: unknown key; known keys here are [")
        .contains("poll-timeout");
  }

  @Test
  void badDurationNamesPathValueAndRule() {
    ConfigException e =
        failure(
            ConfigFixtures.VALID.replace("read-timeout: 5s", "read-timeout: 5 seconds"), Map.of());
    assertThat(e.getMessage())
        .isEqualTo(
            "smtp.read-timeout: must be a duration such as 250ms, 5s, 2m, 1h, 1d or ISO-8601 (PT5S)"
                + " (found: \"5 seconds\")");
  }

  @Test
  void unknownTemplateAndListAreReportedTogether() {
    String yaml =
        ConfigFixtures.VALID
            .replace("template: plain", "template: nosuch")
            .replace("to: [list:engine-oncall]", "to: [list:nobody]");
    ConfigException e = failure(yaml, Map.of());
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactlyInAnyOrder(
            "routes[0].to[0]: must name a list defined under lists; defined: [engine-oncall]"
                + " (found: \"list:nobody\")",
            "routes[1].template: must name a template defined under templates; defined:"
                + " [overtemp, plain] (found: \"nosuch\")");
  }

  @Test
  void malformedRecipientAddressNamesTheRouteAndReason() {
    ConfigException e =
        failure(
            ConfigFixtures.VALID.replace(
                "to: [ops@plant.example]", "to: [\"Ops <ops@plant.example>\"]"),
            Map.of());
    assertThat(e.getMessage())
        .isEqualTo(
            "routes[1].to[0]: route default: must be an RFC 5321 mailbox"
                + " (local@domain): display names and angle brackets are not part of a mailbox"
                + " (found: \"Ops <ops@plant.example>\")");
  }

  @Test
  void malformedFromAddressIsRejected() {
    ConfigException e =
        failure(
            ConfigFixtures.VALID.replace(
                "\"Engine Room Monitor <alerts@plant.example>\"", "\"alerts@@plant\""),
            Map.of());
    assertThat(e.problems().get(0).path()).isEqualTo("smtp.from");
    assertThat(e.problems().get(0).found()).isEqualTo("\"alerts@@plant\"");
  }

  @Test
  void unknownTlsModeListsTheAllowedOnes() {
    String yaml =
        ConfigFixtures.VALID.replace("port: ${SMTP_PORT:-25}", "port: 25\n      tls: ssl");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo("smtp.servers[0].tls: must be one of none, starttls, implicit (found: \"ssl\")");
  }

  @Test
  void heloMustBeAHostNameSoItCannotCarryASecondCommand() {
    String yaml =
        ConfigFixtures.VALID.replace(
            "  servers:", "  helo: \"mx.plant.example\\r\\nMAIL FROM:<x@y>\"\n  servers:");
    assertThat(failure(yaml, Map.of()).getMessage())
        .startsWith(
            "smtp.helo: must be a host name or address literal for EHLO: contains control character U+000D");
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    assertThat(
            failure(
                    ConfigFixtures.VALID.replace("port: ${SMTP_PORT:-25}", "port: twenty-five"),
                    Map.of())
                .getMessage())
        .isEqualTo("smtp.servers[0].port: must be a whole number (found: \"twenty-five\")");
  }

  @Test
  void passwordValuesNeverAppearInErrors() {
    String yaml =
        ConfigFixtures.VALID.replace(
            "port: ${SMTP_PORT:-25}", "port: 25\n      password: [hunter2]");
    ConfigException e = failure(yaml, Map.of());
    assertThat(e.getMessage()).contains("smtp.servers[0].password").doesNotContain("hunter2");
  }

  @Test
  void passwordWithoutUsernameIsAnError() {
    String yaml =
        ConfigFixtures.VALID.replace("port: ${SMTP_PORT:-25}", "port: 25\n      password: x");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo("smtp.servers[0].username: is required when password is set");
  }

  @Test
  void reservedKafkaPropertiesAreRefused() {
    String yaml =
        ConfigFixtures.VALID.replace(
            "poll-timeout: 50ms",
            "poll-timeout: 50ms\n  properties: {enable.auto.commit: \"true\"}");
    assertThat(failure(yaml, Map.of()).getMessage())
        .startsWith("kafka.properties.enable.auto.commit: is set by alertbridge itself");
  }

  @Test
  void deadLetterTopicMustDifferFromAlertTopics() {
    ConfigException e = failure(ConfigFixtures.VALID, Map.of("TOPIC", "alerts", "DLQ", "alerts"));
    assertThat(e.getMessage())
        .isEqualTo(
            "kafka.dead-letter-topic: must differ from the alert"
                + " topics, or bad records would loop (found: \"alerts\")");
  }

  @Test
  void badRegexInMatchIsReported() {
    String yaml =
        ConfigFixtures.VALID.replace(
            "match: {severity: critical, labels: {room: engine}}",
            "match: {source: \"~engine-room/(\"}");
    assertThat(failure(yaml, Map.of()).getMessage())
        .startsWith("routes[0].match.source: must be a valid regular expression: Unclosed group");
  }

  @Test
  void unknownSeverityInMatchIsReported() {
    String yaml = ConfigFixtures.VALID.replace("severity: critical", "severity: urgent");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo(
            "routes[0].match.severity: must be one of [critical, info, warning] or a ~regex (found: \"urgent\")");
  }

  @Test
  void missingTemplateFileIsReported() throws Exception {
    Path file = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    Files.delete(dir.resolve("t/plain.txt"));
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .hasMessageStartingWith("templates.plain.text: must be a readable file");
  }

  @Test
  void unsetVariableWithoutDefaultNamesTheVariable() {
    String yaml = ConfigFixtures.VALID.replace("${KAFKA:-localhost:9092}", "${KAFKA_BROKERS}");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo(
            "kafka.bootstrap-servers: environment"
                + " variable KAFKA_BROKERS is not set and the reference gives no default (found: ${KAFKA_BROKERS})");
  }

  @Test
  void invalidYamlSaysWhere() {
    assertThat(failure("kafka: [unclosed", Map.of()).getMessage())
        .contains("must be valid YAML")
        .contains("line ");
  }

  private static final String TWO_SERVERS =
      ConfigFixtures.VALID.replace(
          "    - host: 127.0.0.1\n      port: ${SMTP_PORT:-25}\n",
          String.join(
              "\n",
              "    - name: site-relay",
              "      host: relay.plant.example",
              "      port: 587",
              "      tls: starttls",
              "      username: alertbridge",
              "      password: s3cret",
              "      priority: 1",
              "      connections: 4",
              "      rate: 30/1m",
              "      max-messages-per-connection: 100",
              "      max-recipients-per-message: 50",
              "    - name: backup",
              "      host: smtp.backup.example",
              "      priority: 2",
              ""));

  @Test
  void aPoolOfServersLoadsWithItsLimitsAndDefaults() throws Exception {
    AlertbridgeConfig c = load(TWO_SERVERS, Map.of());
    SmtpSettings s = c.smtp();
    assertThat(s.servers())
        .extracting(SmtpServerSettings::name)
        .containsExactly("site-relay", "backup");
    SmtpServerSettings relay = s.servers().get(0);
    assertThat(relay.rate()).isEqualTo(new Rate(30, Duration.ofMinutes(1)));
    assertThat(s.connectionsOf(relay)).isEqualTo(4);
    SmtpServerSettings backup = s.servers().get(1);
    assertThat(backup.priority()).isEqualTo(2);
    assertThat(backup.port()).isEqualTo(25);
    assertThat(backup.rate()).isNull();
    assertThat(s.connectionsOf(backup)).as("smtp.connections").isEqualTo(1);
    assertThat(s.totalConnections()).isEqualTo(5);
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.circuitBreaker())
        .isEqualTo(new CircuitBreakerSettings(new Percentage(50), 5, Duration.ofSeconds(30)));
  }

  @Test
  void aServerNamedByItsAddressWhenNoNameIsGiven() throws Exception {
    AlertbridgeConfig c = load(ConfigFixtures.VALID, Map.of());
    assertThat(c.smtp().servers().get(0).name()).isEqualTo("127.0.0.1:25");
  }

  @Test
  void authWithoutTlsToARemoteServerIsRefusedNamingTheServer() {
    String yaml =
        TWO_SERVERS.replace(
            "host: relay.plant.example\n      port: 587\n      tls: starttls",
            "host: relay.plant.example\n      port: 25");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo(
            "smtp.servers[0].tls: must be starttls or implicit: server site-relay authenticates,"
                + " and AUTH without TLS sends the password in the clear"
                + " (smtp.allow-plaintext-auth: true permits it, e.g. on a trusted network)"
                + " (found: \"none\")");
    String allowed =
        yaml.replace("  connect-timeout:", "  allow-plaintext-auth: true\n  connect-timeout:");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> load(allowed, Map.of())))
        .isNull();
  }

  @Test
  void authWithoutTlsOnLoopbackIsAllowed() throws Exception {
    String yaml =
        ConfigFixtures.VALID.replace(
            "port: ${SMTP_PORT:-25}", "port: 25\n      username: a\n      password: b");
    assertThat(load(yaml, Map.of()).smtp().servers().get(0).authenticates()).isTrue();
  }

  @Test
  void badRateAndDuplicateNamesAreReportedTogether() {
    String yaml =
        TWO_SERVERS
            .replace("rate: 30/1m", "rate: 30 per minute")
            .replace("name: backup", "name: site-relay");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo(
            "smtp.servers[0].rate: must be a rate such as 30/1m or 20/2s: a positive count, a slash,"
                + " and a duration (found: \"30 per minute\")");
    String dup = TWO_SERVERS.replace("name: backup", "name: site-relay");
    assertThat(failure(dup, Map.of()).getMessage())
        .isEqualTo(
            "smtp.servers[1].name: must be unique among smtp.servers (found: \"site-relay\")");
  }

  @Test
  void oauth2NeedsAnHttpsTokenUrlAClientAndNoPasswordAndHidesTheSecret() throws Exception {
    String base =
        TWO_SERVERS.replace(
            "      password: s3cret\n",
            "      oauth2: {token-url: \"https://login.example/token\", client-id: app,"
                + " client-secret: app-s3cret, scope: \"https://outlook.office365.com/.default\"}\n");
    AlertbridgeConfig c = load(base, Map.of());
    OAuth2Settings o = c.smtp().servers().get(0).oauth2();
    assertThat(o.clientId()).isEqualTo("app");
    assertThat(c.smtp().servers().get(0).toString()).doesNotContain("app-s3cret").contains("***");

    String plainHttp = base.replace("https://login.example/token", "http://login.example/token");
    assertThat(failure(plainHttp, Map.of()).getMessage())
        .isEqualTo(
            "smtp.servers[0].oauth2.token-url: must be an https URL: the client secret travels in"
                + " the request (found: \"http://login.example/token\")");
    String withPassword =
        base.replace(
            "      username: alertbridge\n", "      username: alertbridge\n      password: x\n");
    assertThat(failure(withPassword, Map.of()).getMessage())
        .isEqualTo("smtp.servers[0].password: must not be set with oauth2");
  }

  @Test
  void aTokenFileMustBeReadable() {
    String yaml =
        TWO_SERVERS.replace(
            "      password: s3cret\n",
            "      oauth2: {token-file: " + dir.resolve("no-such-token") + "}\n");
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo(
            "smtp.servers[0].oauth2.token-file: must be a readable file (relative paths resolve"
                + " against the working directory) (found: \""
                + dir.resolve("no-such-token")
                + "\")");
  }

  @Test
  void routesWithoutPolicyKeysGetAlertmanagersDefaultsAndThePolicyIsOn() throws Exception {
    AlertbridgeConfig c =
        load(
            ConfigFixtures.VALID.replace(
                "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                "  state-topic: plant.state\n"),
            Map.of());
    RouteSettings r = c.routes().get(0);
    assertThat(r.groupBy()).isEmpty();
    assertThat(r.groupWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(r.sendResolved()).isTrue();
    assertThat(c.policy().enabled()).isTrue();
    assertThat(c.policy().maxEventAge()).isEqualTo(Duration.ofHours(1));
    assertThat(c.policy().dedupWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(c.policy().maxMailsPerRecipient()).isNull();
    assertThat(c.policy().stateTopicFor("g")).isEqualTo("plant.state");
  }

  @Test
  void badPolicyKeysAreReportedTogetherWithPathValueAndRule() {
    String yaml =
        ConfigFixtures.VALID
            .replace(
                "    template: plain\n",
                "    template: plain\n"
                    + "    group-by: [labels.site, colour]\n"
                    + "    mute: [{weekdays: [funday], times: \"06:00-05:00\", timezone: Mars/Olympus}]\n")
            .replace(
                "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                "  state-topic: \"bad topic\"\n  max-mails-per-recipient: lots\n");
    // A value that does not bind stops the load at once, naming itself.
    assertThat(failure(yaml, Map.of()).getMessage())
        .isEqualTo("policy.max-mails-per-recipient: " + Rate.RULE + " (found: \"lots\")");
    ConfigException rest = failure(yaml.replace("  max-mails-per-recipient: lots\n", ""), Map.of());
    assertThat(rest.problems())
        .extracting(ConfigProblem::toString)
        .containsExactlyInAnyOrder(
            "routes[1].group-by[1]: must be id, source, type, severity or labels.NAME"
                + " (found: \"colour\")",
            "routes[1].mute[0].weekdays[0]: must be a day of the week: monday … sunday"
                + " (found: \"funday\")",
            "routes[1].mute[0].times: " + MuteWindow.TIMES_RULE + " (found: \"06:00-05:00\")",
            "routes[1].mute[0].timezone: must be an IANA time zone such as Europe/Berlin or UTC"
                + " (found: \"Mars/Olympus\")",
            "policy.state-topic: must be a Kafka topic name: letters, digits, '.', '_' and '-'"
                + " (found: \"bad topic\")");
  }

  @Test
  void thePolicyTopicsReplicationDefaultsToTheAlertTopicsAndIsChecked() throws Exception {
    String off =
        "  enabled: false  # these tests are about delivery: one mail per event, at once\n";
    AlertbridgeConfig defaults = load(ConfigFixtures.VALID.replace(off, ""), Map.of());
    assertThat(defaults.policy().replicationFactor()).isNull();
    assertThat(defaults.policy().minInsyncReplicas()).isNull();
    AlertbridgeConfig set =
        load(
            ConfigFixtures.VALID.replace(
                off, "  replication-factor: 3\n  min-insync-replicas: 2\n"),
            Map.of());
    assertThat(set.policy().replicationFactor()).isEqualTo(3);
    assertThat(set.policy().minInsyncReplicas()).isEqualTo(2);
    assertThat(
            failure(
                    ConfigFixtures.VALID.replace(
                        off, "  replication-factor: 2\n  min-insync-replicas: 3\n"),
                    Map.of())
                .problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "policy.min-insync-replicas: must be at most policy.replication-factor (2), or no"
                + " write can succeed (found: 3)");
    assertThat(
            failure(
                    ConfigFixtures.VALID.replace(
                        off, "  replication-factor: 0\n  min-insync-replicas: 0\n"),
                    Map.of())
                .problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "policy.replication-factor: must be between 1 and 32767 (found: 0)",
            "policy.min-insync-replicas: must be at least 1 (found: 0)");
  }

  @Test
  void aMuteWindowHoldsOnItsDaysInItsZoneAndEndsAtItsEnd() {
    MuteWindow w =
        MuteWindow.of(new MuteSettings(List.of("saturday"), "00:00-06:00", "Europe/Berlin"));
    // Saturday 2026-12-05 05:59 in Berlin is 04:59 UTC.
    assertThat(w.contains(java.time.Instant.parse("2026-12-05T04:59:00Z"))).isTrue();
    assertThat(w.contains(java.time.Instant.parse("2026-12-05T05:00:00Z"))).isFalse();
    assertThat(w.contains(java.time.Instant.parse("2026-12-04T23:30:00Z"))).isTrue();
    assertThat(w.contains(java.time.Instant.parse("2026-12-04T22:30:00Z"))).isFalse();
    assertThat(w.endAfter(java.time.Instant.parse("2026-12-05T01:00:00Z")))
        .isEqualTo(java.time.Instant.parse("2026-12-05T05:00:00Z"));
    // Saturday and Sunday all day chain into one mute until Monday 00:00.
    List<MuteWindow> weekend =
        List.of(
            MuteWindow.of(new MuteSettings(List.of("saturday"), null, "UTC")),
            MuteWindow.of(new MuteSettings(List.of("sunday"), "00:00-24:00", "UTC")));
    assertThat(MuteWindow.unmutedFrom(weekend, java.time.Instant.parse("2026-12-05T10:00:00Z")))
        .isEqualTo(java.time.Instant.parse("2026-12-07T00:00:00Z"));
  }
}

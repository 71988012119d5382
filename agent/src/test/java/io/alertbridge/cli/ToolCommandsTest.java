package io.alertbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.address.TestDnsServer;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check-address, relay-test, send-test and check-config --dns as a user runs them. */
class ToolCommandsTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private SmtpSink sink;

  @BeforeEach
  void setUp() throws Exception {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    sink = SmtpSink.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    System.setOut(originalOut);
    System.setErr(originalErr);
    sink.close();
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String sinkAddress() {
    return "127.0.0.1:" + sink.port();
  }

  @Test
  void checkAddressExitsZeroOnlyWhenEveryAddressIsValid() {
    assertThat(Main.execute("check-address", "ops@plant.example", "u@[192.0.2.1]")).isZero();
    assertThat(Main.execute("check-address", "ops@plant.example", "Abc\\@def@example.com"))
        .isEqualTo(1);
    assertThat(stdout())
        .contains(
            "Abc\\@def@example.com: invalid",
            "backslash escapes are only allowed inside a quoted local part");
    assertThat(Main.execute("check-address")).isEqualTo(2);
  }

  @Test
  void checkAddressJsonHasTheDocumentedKeys() throws Exception {
    sink.behaviour(
        SmtpSink.rcpt(p -> p.startsWith("ops@") ? "250 2.1.5 Ok" : "550 5.1.1 User unknown"));
    int exit =
        Main.execute(
            "check-address",
            "--probe",
            "--smtp-server",
            sinkAddress(),
            "--helo",
            "probe.test",
            "--format",
            "json",
            "ops@plant.example",
            "jürgen@bücher.example");
    assertThat(exit).isEqualTo(1);
    JsonNode reports = new ObjectMapper().readTree(stdout());
    JsonNode ops = reports.get(0);
    assertThat(ops.get("verdict").asText()).isEqualTo("valid");
    assertThat(ops.get("syntax_valid").asBoolean()).isTrue();
    assertThat(ops.get("smtputf8").asBoolean()).isFalse();
    assertThat(ops.get("ascii_domain").asText()).isEqualTo("plant.example");
    assertThat(ops.get("smtp").get("host").asText()).isEqualTo(sinkAddress());
    assertThat(ops.get("smtp").get("catch_all").asBoolean()).isFalse();
    assertThat(ops.get("smtp").get("deliverable").asBoolean()).isTrue();
    assertThat(ops.get("smtp").get("replies").toString()).contains("RCPT TO:<ops@plant.example>");
    assertThat(ops.has("mx")).isFalse();
    JsonNode intl = reports.get(1);
    assertThat(intl.get("verdict").asText()).isEqualTo("risky");
    assertThat(intl.get("smtputf8").asBoolean()).isTrue();
    assertThat(intl.get("ascii_domain").asText()).isEqualTo("xn--bcher-kva.example");
    assertThat(sink.commands()).noneMatch(c -> c.startsWith("DATA"));
  }

  @Test
  void checkAddressWithDnsUsesTheGivenResolver() throws Exception {
    try (TestDnsServer dns =
        new TestDnsServer()
            .mx("plant.example", 10, "mx.plant.example")
            .mx("nullmx.example", 0, ".")) {
      String resolver = "127.0.0.1:" + dns.address().getPort();
      assertThat(
              Main.execute("check-address", "--dns", "--dns-server", resolver, "ops@plant.example"))
          .isZero();
      assertThat(stdout()).contains("mx: 10 mx.plant.example");
      assertThat(
              Main.execute(
                  "check-address", "--dns", "--dns-server", resolver, "ops@nullmx.example"))
          .isEqualTo(1);
      assertThat(stdout())
          .contains(
              "ops@nullmx.example: invalid", "nullmx.example accepts no mail (null MX, RFC 7505)");
    }
  }

  @Test
  void relayTestExitsZeroForAClosedRelayAndOneForAnOpenOne() throws Exception {
    sink.behaviour(SmtpSink.rcpt(p -> "554 5.7.1 Relay access denied"));
    assertThat(
            Main.execute(
                "relay-test",
                sinkAddress(),
                "--outside-domain",
                "example.net",
                "--local-domain",
                "plant.example",
                "--helo",
                "probe.test"))
        .isZero();
    assertThat(stdout())
        .contains("34 probes: 0 relayed, 34 refused, 0 skipped. The server did not relay.");
    sink.behaviour(SmtpSink.POSTFIX);
    out.reset();
    assertThat(
            Main.execute(
                "relay-test",
                sinkAddress(),
                "--outside-domain",
                "example.net",
                "--helo",
                "probe.test",
                "--format",
                "json"))
        .isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(stdout());
    assertThat(report.get("relayed").asInt()).isEqualTo(34);
    assertThat(report.get("local_domain").asText()).isEqualTo("sink.localhost");
    assertThat(report.get("ip").asText()).isEqualTo("[127.0.0.1]");
    assertThat(report.get("probes").get(0).get("verdict").asText()).isEqualTo("relayed");
    assertThat(sink.commands()).noneMatch(c -> c.startsWith("DATA"));
  }

  @Test
  void relayTestWithStarttlsRefusesAServerWithoutItAndProbesNothing() {
    assertThat(
            Main.execute(
                "relay-test",
                sinkAddress(),
                "--outside-domain",
                "example.net",
                "--starttls",
                "--timeout",
                "2"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("STARTTLS");
    assertThat(sink.commands()).noneMatch(c -> c.startsWith("MAIL"));
  }

  @Test
  void valuesThatGoIntoSmtpCommandsAreValidatedBeforeAnyConnection() {
    assertThat(Main.execute("relay-test", sinkAddress(), "--outside-domain", "example.net\r\nDATA"))
        .isEqualTo(2);
    assertThat(
            Main.execute(
                "relay-test",
                sinkAddress(),
                "--outside-domain",
                "example.net",
                "--helo",
                "probe.test\r\nMAIL FROM:<x@y>"))
        .isEqualTo(2);
    assertThat(
            Main.execute(
                "check-address",
                "--probe",
                "--smtp-server",
                sinkAddress(),
                "--sender",
                "a@b\r\nRCPT TO:<c@d>",
                "ops@plant.example"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--outside-domain", "--helo", "--sender", "contains control character U+000D");
    assertThat(sink.commands()).isEmpty();
  }

  @Test
  void relayTestOfAnUnreachableServerExitsTwo() throws Exception {
    int port = sink.port();
    sink.close();
    assertThat(
            Main.execute(
                "relay-test",
                "127.0.0.1:" + port,
                "--outside-domain",
                "example.net",
                "--timeout",
                "2"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot test 127.0.0.1:" + port);
  }

  @Test
  void sendTestPrintsTheServerReplyAndQueueId() throws Exception {
    Path config =
        ConfigFixtures.write(
            dir, ConfigFixtures.VALID.replace("${SMTP_PORT:-25}", Integer.toString(sink.port())));
    assertThat(
            Main.execute("send-test", "--config", config.toString(), "--to", "ops@plant.example"))
        .isZero();
    SmtpSink.Received m = sink.received().get(0);
    assertThat(stdout())
        .contains(
            "accepted by " + sinkAddress(),
            "reply:      250 2.0.0 Ok: queued as " + m.queueId(),
            "queue ID:   " + m.queueId());
    assertThat(m.recipients()).containsExactly("ops@plant.example");
    assertThat(m.dataAsString())
        .contains(
            "X-Alertbridge-Test: yes",
            "Subject: [alertbridge test]",
            "This is a test message from alertbridge. No action is needed.",
            "From: Engine Room Monitor <alerts@plant.example>");
  }

  @Test
  void sendTestExitsOneWhenTheServerRefuses() throws Exception {
    sink.behaviour(SmtpSink.rcpt(p -> "550 5.7.1 Not allowed"));
    Path config =
        ConfigFixtures.write(
            dir, ConfigFixtures.VALID.replace("${SMTP_PORT:-25}", Integer.toString(sink.port())));
    assertThat(Main.execute("send-test", "-c", config.toString(), "--to", "ops@plant.example"))
        .isEqualTo(1);
    assertThat(stdout()).contains("refused by " + sinkAddress(), "550 5.7.1 Not allowed");
    assertThat(Main.execute("send-test", "-c", config.toString(), "--to", "not an address"))
        .isEqualTo(2);
  }

  @Test
  void checkConfigWithDnsFailsWhenARecipientDomainCannotReceiveMail() throws Exception {
    Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
    try (TestDnsServer dns = new TestDnsServer().mx("plant.example", 10, "mx.plant.example")) {
      String resolver = "127.0.0.1:" + dns.address().getPort();
      assertThat(
              Main.execute(
                  "check-config",
                  "--offline",
                  "-c",
                  config.toString(),
                  "--dns",
                  "--dns-server",
                  resolver))
          .isZero();
      assertThat(stdout()).contains("plant.example", "MX", "10 mx.plant.example");
    }
    try (TestDnsServer empty = new TestDnsServer()) {
      String resolver = "127.0.0.1:" + empty.address().getPort();
      assertThat(
              Main.execute(
                  "check-config",
                  "--offline",
                  "-c",
                  config.toString(),
                  "--dns",
                  "--dns-server",
                  resolver))
          .isEqualTo(1);
      assertThat(stdout()).contains("NXDOMAIN");
    }
  }
}

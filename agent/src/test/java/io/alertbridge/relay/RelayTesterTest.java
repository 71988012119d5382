package io.alertbridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.address.SmtpTarget;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.relay.RelayResult.Verdict;
import io.alertbridge.smtp.SmtpDialog;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay test against SMTP servers on loopback configured as open, closed and in between. */
class RelayTesterTest {
  private static final SmtpDialog.Settings SETTINGS =
      new SmtpDialog.Settings(
          "probe.alertbridge.test", Duration.ofSeconds(2), Duration.ofSeconds(2), false);

  private SmtpSink sink;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
  }

  private RelayReport run() throws Exception {
    return new RelayTester(SETTINGS)
        .run(
            new SmtpTarget("127.0.0.1", sink.port()),
            "example.net",
            "plant.example",
            "[127.0.0.1]");
  }

  private void assertNoDataAndOneSessionEndingInQuit() {
    assertThat(sink.commands()).noneMatch(c -> c.toUpperCase().startsWith("DATA"));
    assertThat(sink.received()).isEmpty();
    assertThat(sink.commands().get(sink.commands().size() - 1)).isEqualTo("QUIT");
  }

  @Test
  void closedRelayRefusesEveryProbe() throws Exception {
    sink.behaviour(
        SmtpSink.rcpt(
            path ->
                path.endsWith("@plant.example")
                        && !path.contains("!")
                        && !path.contains("%")
                        && !path.contains("example.net")
                    ? "250 2.1.5 Ok"
                    : "554 5.7.1 <" + path + ">: Relay access denied"));
    RelayReport r = run();
    assertThat(r.probes()).hasSize(34).allMatch(p -> p.verdict() == Verdict.REFUSED);
    assertThat(r.relayed()).isZero();
    assertThat(r.probes().get(0).replies())
        .containsExactly("250 2.1.0 Ok", "554 5.7.1 <relaytest@example.net>: Relay access denied");
    assertThat(sink.commands().stream().filter(c -> c.startsWith("EHLO"))).hasSize(1);
    assertThat(sink.commands().stream().filter(c -> c.equals("RSET"))).hasSize(34);
    assertNoDataAndOneSessionEndingInQuit();
  }

  @Test
  void openRelayIsReportedProbeByProbe() throws Exception {
    RelayReport r = run();
    assertThat(r.relayed()).isEqualTo(34);
    assertThat(r.probes().get(0).verdict()).isEqualTo(Verdict.RELAYED);
    assertNoDataAndOneSessionEndingInQuit();
  }

  @Test
  void partialRelayIsFound() throws Exception {
    // Relays only the percent hack, as old sendmail configurations did.
    sink.behaviour(
        SmtpSink.rcpt(
            path -> path.contains("%") ? "250 2.1.5 Ok" : "554 5.7.1 Relay access denied"));
    RelayReport r = run();
    assertThat(r.probes())
        .filteredOn(p -> p.verdict() == Verdict.RELAYED)
        .extracting(RelayResult::rcptTo)
        .allMatch(rcpt -> rcpt.contains("%"))
        .hasSize(6);
  }

  @Test
  void refusedSenderSkipsItsProbeButNotTheOthers() throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String mailFrom(String path) {
            return path.contains("[")
                ? "553 5.1.8 <" + path + ">: Sender address rejected"
                : "250 2.1.0 Ok";
          }

          @Override
          public String rcptTo(String path) {
            return "554 5.7.1 Relay access denied";
          }
        });
    RelayReport r = run();
    assertThat(r.count(Verdict.SKIPPED)).isEqualTo(15);
    assertThat(r.count(Verdict.REFUSED)).isEqualTo(19);
  }

  @Test
  void stopsWhenTheServerRequiresAuthentication() throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String mailFrom(String path) {
            return "530 5.7.0 Authentication required";
          }
        });
    RelayReport r = run();
    assertThat(r.authenticationRequired()).isTrue();
    assertThat(r.probes()).isEmpty();
    assertThat(r.relayed()).isZero();
    assertNoDataAndOneSessionEndingInQuit();
  }

  @Test
  void reconnectsWhenTheServerHangsUpAfterAnError() throws Exception {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String rcptTo(String path) {
            return "554 5.7.1 Relay access denied";
          }

          @Override
          public boolean hangUpAfter(String reply) {
            return reply.startsWith("554");
          }
        });
    RelayReport r = run();
    assertThat(r.probes()).hasSize(34).allMatch(p -> p.verdict() == Verdict.REFUSED);
    assertThat(sink.commands().stream().filter(c -> c.startsWith("EHLO")).count())
        .isGreaterThan(30);
    assertThat(sink.commands()).noneMatch(c -> c.toUpperCase().startsWith("DATA"));
  }
}

package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.address.AddressChecker;
import io.alertbridge.address.AddressReport;
import io.alertbridge.address.AddressReport.Verdict;
import io.alertbridge.address.MailboxProbe;
import io.alertbridge.address.SmtpTarget;
import io.alertbridge.relay.RelayReport;
import io.alertbridge.relay.RelayResult;
import io.alertbridge.relay.RelayTester;
import io.alertbridge.smtp.SmtpDialog;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The mail tools against a real Postfix, configured as a closed and as an open relay. */
class PostfixToolsIT {
  private static final SmtpDialog.Settings SETTINGS =
      new SmtpDialog.Settings(
          "probe.alertbridge.test", Duration.ofSeconds(5), Duration.ofSeconds(5), false);

  /**
   * Postfix slows down after 10 errors in a session and hangs up after 20; real servers do that,
   * and relay-test copes (it reconnects), but here it would only make the suite slow.
   */
  private static final Map<String, String> NO_ERROR_THROTTLING =
      Map.of(
          "smtpd_error_sleep_time", "0",
          "smtpd_soft_error_limit", "100",
          "smtpd_hard_error_limit", "100");

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> m = new java.util.HashMap<>(a);
    m.putAll(b);
    return m;
  }

  /** Loopback is not a trusted network, so Postfix treats the tests as an outside client. */
  private static final Map<String, String> CLOSED =
      with(
          NO_ERROR_THROTTLING,
          Map.of(
              "mynetworks", "192.0.2.0/24",
              "virtual_mailbox_domains", "plant.example",
              "virtual_mailbox_maps", "texthash:{etc}/vmailbox",
              "virtual_transport", "discard:"));

  private static final Map<String, String> FILES =
      Map.of("vmailbox", "ops@plant.example ops/\nchief.engineer@plant.example chief/\n");

  /** What smtpd logged per session: the command counts, e.g. "ehlo=1 mail=34 rcpt=34". */
  private static void assertNoSessionSentData(PostfixInstance postfix) throws Exception {
    Matcher m = Pattern.compile("disconnect from \\S+ (.*)").matcher(postfix.maillog());
    int sessions = 0;
    while (m.find()) {
      sessions++;
      assertThat(m.group(1)).doesNotContain("data=").doesNotContain("bdat=");
    }
    assertThat(sessions).isPositive();
  }

  private static RelayReport relayTest(PostfixInstance postfix) throws Exception {
    return new RelayTester(SETTINGS)
        .run(new SmtpTarget("127.0.0.1", postfix.port()), "example.net", null, "[127.0.0.1]");
  }

  @Test
  void closedRelayRefusesEveryProbe() throws Exception {
    try (PostfixInstance postfix = PostfixInstance.start(CLOSED, FILES)) {
      RelayReport r = relayTest(postfix);
      assertThat(r.localDomain()).isEqualTo("postfix-test.localdomain");
      assertThat(r.probes())
          .hasSize(34)
          .allSatisfy(
              p -> {
                assertThat(p.verdict())
                    .as(p.mailFrom() + " " + p.rcptTo())
                    .isEqualTo(RelayResult.Verdict.REFUSED);
                assertThat(p.replies().get(1))
                    .matches("(454 4\\.7\\.1 .*Relay access denied|501 5\\.1\\.3 .*)");
              });
      await(postfix, "disconnect from");
      assertNoSessionSentData(postfix);
    }
  }

  @Test
  void openRelayIsCaughtOnEveryFormPostfixAccepts() throws Exception {
    // The classic mistake: every client counts as trusted.
    Map<String, String> open = with(NO_ERROR_THROTTLING, Map.of("mynetworks", "0.0.0.0/0"));
    try (PostfixInstance postfix = PostfixInstance.start(open)) {
      RelayReport r = relayTest(postfix);
      assertThat(r.probes()).hasSize(34);
      // Postfix accepts every form except an empty domain, which is a syntax error to it.
      assertThat(r.probes())
          .filteredOn(p -> p.verdict() == RelayResult.Verdict.REFUSED)
          .extracting(RelayResult::rcptTo)
          .containsOnly("<relaytest@>")
          .hasSize(2);
      assertThat(r.relayed()).isEqualTo(32);
      await(postfix, "disconnect from");
      assertNoSessionSentData(postfix);
    }
  }

  @Test
  void probeTellsAnExistingMailboxFromAnUnknownOne() throws Exception {
    try (PostfixInstance postfix = PostfixInstance.start(CLOSED, FILES)) {
      AddressChecker checker =
          new AddressChecker(
              Optional.empty(),
              Optional.of(new MailboxProbe(SETTINGS, "")),
              Optional.of(new SmtpTarget("127.0.0.1", postfix.port())));
      AddressReport ops = checker.check("ops@plant.example");
      assertThat(ops.verdict()).isEqualTo(Verdict.VALID);
      assertThat(ops.smtp().catchAll()).isFalse();
      AddressReport nobody = checker.check("nobody@plant.example");
      assertThat(nobody.verdict()).isEqualTo(Verdict.INVALID);
      assertThat(nobody.reasons())
          .anyMatch(
              s -> s.contains("550 5.1.1") && s.contains("User unknown in virtual mailbox table"));
      AddressReport outside = checker.check("someone@example.net");
      assertThat(outside.verdict()).isEqualTo(Verdict.UNKNOWN);
      await(postfix, "disconnect from");
      assertNoSessionSentData(postfix);
    }
  }

  private static void await(PostfixInstance postfix, String text) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> postfix.maillog().contains(text));
  }
}

package io.alertbridge.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.address.AddressReport.Verdict;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.smtp.SmtpDialog;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The three levels together, against a DNS server and SMTP servers on loopback ports. */
class AddressCheckerTest {
  private static final SmtpDialog.Settings SETTINGS =
      new SmtpDialog.Settings(
          "probe.alertbridge.test", Duration.ofSeconds(2), Duration.ofSeconds(2), false);
  private static final Set<String> USERS =
      Set.of("ops@plant.example", "chief.engineer@plant.example");

  private SmtpSink sink;
  private TestDnsServer dns;

  @BeforeEach
  void start() throws Exception {
    sink = SmtpSink.start();
    dns =
        new TestDnsServer()
            .mx("plant.example", 10, "mx.plant.example")
            .mx("nullmx.example", 0, ".")
            .silent("slow.example");
  }

  @AfterEach
  void stop() throws Exception {
    sink.close();
    dns.close();
  }

  private AddressChecker probing() {
    return new AddressChecker(
        Optional.empty(),
        Optional.of(new MailboxProbe(SETTINGS, "")),
        Optional.of(new SmtpTarget("127.0.0.1", sink.port())));
  }

  private AddressChecker dnsOnly() throws Exception {
    return new AddressChecker(
        Optional.of(new MxLookup(dns.address(), Duration.ofMillis(500))),
        Optional.empty(),
        Optional.empty());
  }

  /** A closed relay that knows its users: anyone else gets 550. */
  private static SmtpSink.Behaviour knownUsersOnly() {
    return SmtpSink.rcpt(
        path ->
            USERS.contains(path)
                ? "250 2.1.5 Ok"
                : "550 5.1.1 <"
                    + path
                    + ">: Recipient address rejected: User unknown in virtual mailbox table");
  }

  private void assertNoDataWasSent() {
    assertThat(sink.commands()).noneMatch(c -> c.toUpperCase().startsWith("DATA"));
    assertThat(sink.received()).isEmpty();
  }

  @Test
  void existingMailboxOnAServerThatKnowsItsUsersIsValid() {
    sink.behaviour(knownUsersOnly());
    AddressReport r = probing().check("ops@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(r.smtp().catchAll()).isFalse();
    assertThat(r.smtp().deliverable()).isTrue();
    assertThat(r.smtp().replies())
        .contains("MAIL FROM:<>", "RCPT TO:<ops@plant.example>", "RSET")
        .anyMatch(l -> l.matches("RCPT TO:<alertbridge-probe-[0-9a-f]{12}@plant\\.example>"));
    assertNoDataWasSent();
  }

  @Test
  void unknownMailboxIsInvalidWithTheServersReply() {
    sink.behaviour(knownUsersOnly());
    AddressReport r = probing().check("nobody@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.smtp().deliverable()).isFalse();
    assertThat(r.reasons()).anyMatch(s -> s.contains("550 5.1.1") && s.contains("User unknown"));
    assertNoDataWasSent();
  }

  @Test
  void catchAllServerMakesTheAddressRisky() {
    AddressReport r = probing().check("anyone@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.RISKY);
    assertThat(r.smtp().catchAll()).isTrue();
    assertThat(r.reasons())
        .anyMatch(s -> s.startsWith("the server accepts any address (catch-all)"));
    assertNoDataWasSent();
  }

  @Test
  void greylistingIsUnknownTryLater() {
    sink.behaviour(
        SmtpSink.rcpt(path -> "450 4.7.1 <" + path + ">: Recipient address rejected: Greylisted"));
    AddressReport r = probing().check("ops@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.smtp().deliverable()).isNull();
    assertThat(r.reasons()).anyMatch(s -> s.startsWith("no definite answer, try later: 450 4.7.1"));
    assertNoDataWasSent();
  }

  @Test
  void reconnectsWhenTheServerHangsUpAfterRefusingTheRandomRecipient() {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String rcptTo(String path) {
            return USERS.contains(path) ? "250 2.1.5 Ok" : "550 5.1.1 User unknown";
          }

          @Override
          public boolean hangUpAfter(String reply) {
            return reply.startsWith("550");
          }
        });
    AddressReport r = probing().check("ops@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(r.smtp().catchAll()).isFalse();
    assertThat(r.smtp().replies()).contains("(connection lost; reconnecting)");
    assertThat(sink.commands().stream().filter(c -> c.startsWith("EHLO"))).hasSize(2);
    assertNoDataWasSent();
  }

  @Test
  void unreachableServerIsUnknown() throws Exception {
    int port = sink.port();
    sink.close();
    AddressReport r =
        new AddressChecker(
                Optional.empty(),
                Optional.of(new MailboxProbe(SETTINGS, "")),
                Optional.of(new SmtpTarget("127.0.0.1", port)))
            .check("ops@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.reasons()).containsExactly("no mail host accepted a connection");
  }

  @Test
  void internationalisedAddressIsRiskyWhenTheServerLacksSmtputf8() {
    AddressReport r = probing().check("jürgen@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.RISKY);
    assertThat(r.smtputf8()).isTrue();
    assertThat(r.reasons())
        .contains("the address needs SMTPUTF8, which the server does not announce");
    assertThat(sink.commands()).noneMatch(c -> c.startsWith("RCPT"));
  }

  @Test
  void internationalisedAddressIsProbedWithSmtputf8WhenSupported() {
    sink.behaviour(
        new SmtpSink.Behaviour() {
          @Override
          public String rcptTo(String path) {
            return path.startsWith("jürgen@") ? "250 2.1.5 Ok" : "550 5.1.1 User unknown";
          }

          @Override
          public boolean smtputf8() {
            return true;
          }
        });
    AddressReport r = probing().check("jürgen@plant.example");
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(sink.commands()).contains("MAIL FROM:<> SMTPUTF8", "RCPT TO:<jürgen@plant.example>");
  }

  @Test
  void dnsAnswersDecideWithoutAProbe() throws Exception {
    AddressChecker checker = dnsOnly();
    assertThat(checker.check("ops@plant.example").verdict()).isEqualTo(Verdict.VALID);
    assertThat(checker.check("ops@plant.example").mx())
        .extracting(MxResult.MxHost::host)
        .containsExactly("mx.plant.example");
    AddressReport nullMx = checker.check("ops@nullmx.example");
    assertThat(nullMx.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(nullMx.reasons())
        .containsExactly("nullmx.example accepts no mail (null MX, RFC 7505)");
    assertThat(checker.check("ops@no-such.example").verdict()).isEqualTo(Verdict.INVALID);
    AddressReport slow = checker.check("ops@slow.example");
    assertThat(slow.verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void syntaxErrorsNeedNoNetwork() {
    AddressReport r = probing().check("Joe <j@example.com>");
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.syntaxValid()).isFalse();
    assertThat(r.smtp()).isNull();
    assertThat(sink.commands()).isEmpty();
  }
}

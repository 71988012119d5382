package io.alertbridge.cli;

import io.alertbridge.address.SmtpTarget;
import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.relay.RelayReport;
import io.alertbridge.relay.RelayResult;
import io.alertbridge.relay.RelayTester;
import jakarta.mail.MessagingException;
import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge relay-test}: is this SMTP server an open relay? */
@Command(
    name = "relay-test",
    mixinStandardHelpOptions = true,
    description = {
      "Probe your own SMTP server for open relaying: MAIL FROM / RCPT TO pairs with an outside"
          + " recipient in the classic and nmap smtp-open-relay forms, in one session with RSET"
          + " between probes. Never sends DATA: no mail can leave. Run it from outside the"
          + " server's trusted networks, or every probe will look relayed.",
      "Exit code 0 when nothing relayed, 1 when any probe relayed, 2 on usage or connection"
          + " errors."
    })
final class RelayTestCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "HOST[:PORT]",
      description = "The server (port 25 by default).")
  String server;

  @Option(
      names = "--outside-domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "A domain the server must not relay to, e.g. example.net.")
  String outsideDomain;

  @Option(
      names = "--local-domain",
      paramLabel = "DOMAIN",
      description = "The server's own domain (default: the name it gives in EHLO).")
  String localDomain;

  @Option(
      names = "--ip",
      paramLabel = "IP",
      description = "The server's address for [IP] literals (default: HOST resolved).")
  String ip;

  @Option(names = "--starttls", description = "Require STARTTLS before probing.")
  boolean starttls;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Mixin ProbeOptions probeOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    SmtpTarget target;
    String literal;
    domain("--outside-domain", outsideDomain);
    if (localDomain != null) {
      domain("--local-domain", localDomain);
    }
    try {
      target = SmtpTarget.parse(server, 25);
      literal = literal(ip != null ? ip : target.host());
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    RelayReport report;
    try {
      report =
          new RelayTester(probeOptions.settings(starttls, spec.commandLine()))
              .run(target, outsideDomain, localDomain, literal);
    } catch (MessagingException e) {
      spec.commandLine()
          .getErr()
          .println(
              "alertbridge: cannot test "
                  + target
                  + ": "
                  + e.getMessage()
                  + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      return Main.USAGE;
    }
    if (format == OutputFormat.json) {
      Map<String, Object> json =
          new LinkedHashMap<>(
              OutputFormat.JSON.convertValue(
                  report,
                  OutputFormat.JSON
                      .getTypeFactory()
                      .constructMapType(Map.class, String.class, Object.class)));
      json.put("relayed", report.relayed());
      out.println(OutputFormat.JSON.writeValueAsString(json));
    } else {
      printText(out, report);
    }
    out.flush();
    return report.relayed() > 0 ? Main.FAILED : Main.OK;
  }

  private void domain(String option, String value) {
    MailboxSyntax.domainProblem(value)
        .ifPresent(
            p -> {
              throw new ParameterException(spec.commandLine(), option + " " + value + ": " + p);
            });
  }

  /** An address as an SMTP domain literal: {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}. */
  static String literal(String hostOrIp) throws UnknownHostException {
    InetAddress a = InetAddress.getByName(hostOrIp);
    return a instanceof Inet6Address
        ? "[IPv6:" + a.getHostAddress() + "]"
        : "[" + a.getHostAddress() + "]";
  }

  private static void printText(PrintWriter out, RelayReport r) {
    out.printf(
        "relay-test %s (outside domain %s, local domain %s, IP %s)%n",
        r.server(), r.outsideDomain(), r.localDomain(), r.ip());
    for (RelayResult p : r.probes()) {
      out.printf(
          "  %-8s MAIL FROM:%s RCPT TO:%s%n           %s%n",
          p.verdict().wireName(),
          p.mailFrom(),
          p.rcptTo(),
          String.join(" / ", p.replies()).replace("\n", " "));
    }
    if (r.authenticationRequired()) {
      out.println(
          "Stopped: the server answered 530, authentication required. It does not take"
              + " mail from anonymous clients, so it is not open to anonymous relaying.");
    }
    out.printf(
        "%d probes: %d relayed, %d refused, %d skipped. %s%n",
        r.probes().size(),
        r.relayed(),
        r.count(RelayResult.Verdict.REFUSED),
        r.count(RelayResult.Verdict.SKIPPED),
        r.relayed() > 0
            ? "THE SERVER IS AN OPEN RELAY for the probes marked relayed."
            : "The server did not relay.");
  }
}

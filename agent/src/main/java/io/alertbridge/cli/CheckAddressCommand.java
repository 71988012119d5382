package io.alertbridge.cli;

import io.alertbridge.address.AddressChecker;
import io.alertbridge.address.AddressReport;
import io.alertbridge.address.MailboxProbe;
import io.alertbridge.address.MxLookup;
import io.alertbridge.address.SmtpTarget;
import io.alertbridge.mailbox.MailboxSyntax;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge check-address}: can this address receive mail? */
@Command(
    name = "check-address",
    mixinStandardHelpOptions = true,
    description = {
      "Check whether addresses can receive mail: syntax (RFC 5321/6531) always; with --dns their"
          + " domain's MX records; with --probe an SMTP conversation with the mail host that stops"
          + " before DATA, so nothing is sent.",
      "Verdicts: valid, invalid, risky (catch-all, SMTPUTF8 unsupported), unknown.",
      "Exit code 0 when every address is valid, 1 otherwise, 2 on usage errors."
    })
final class CheckAddressCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "ADDRESS", description = "Addresses to check.")
  List<String> addresses;

  @Option(
      names = "--dns",
      description = "Look up the domain's mail hosts (MX, implicit MX, null MX).")
  boolean dns;

  @Option(
      names = "--probe",
      description =
          "Ask the best reachable mail host (or --smtp-server)"
              + " whether it accepts the address; implies --dns unless --smtp-server is given.")
  boolean probe;

  @Mixin DnsOptions dnsOptions;

  @Option(
      names = "--smtp-server",
      paramLabel = "HOST[:PORT]",
      description = "Probe this server instead of the domain's MX (internal relays, tests).")
  String smtpServer;

  @Option(
      names = "--sender",
      paramLabel = "ADDRESS",
      defaultValue = "",
      description = "MAIL FROM address for the probe (default: the null sender <>).")
  String sender;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the whole SMTP conversation.")
  boolean verbose;

  @Mixin ProbeOptions probeOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!sender.isEmpty() && !MailboxSyntax.check(sender).valid()) {
      throw new ParameterException(
          spec.commandLine(),
          "--sender " + sender + ": " + String.join("; ", MailboxSyntax.check(sender).reasons()));
    }
    Optional<SmtpTarget> server = Optional.ofNullable(smtpServer).map(s -> target(s, 25));
    boolean needDns = dns || (probe && server.isEmpty());
    Optional<MxLookup> lookup = Optional.empty();
    if (needDns) {
      lookup =
          Optional.of(
              dnsOptions.lookup(
                  Duration.ofSeconds(probeOptions.timeoutSeconds), spec.commandLine()));
    }
    Optional<MailboxProbe> prober =
        probe
            ? Optional.of(
                new MailboxProbe(probeOptions.settings(false, spec.commandLine()), sender))
            : Optional.empty();
    AddressChecker checker = new AddressChecker(lookup, prober, server);
    List<AddressReport> reports = new ArrayList<>();
    for (String a : addresses) {
      reports.add(checker.check(a));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      out.println(OutputFormat.JSON.writeValueAsString(reports));
    } else {
      reports.forEach(r -> printText(out, r, verbose));
    }
    out.flush();
    return reports.stream().allMatch(r -> r.verdict() == AddressReport.Verdict.VALID)
        ? Main.OK
        : Main.FAILED;
  }

  private SmtpTarget target(String text, int defaultPort) {
    try {
      return SmtpTarget.parse(text, defaultPort);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void printText(PrintWriter out, AddressReport r, boolean verbose) {
    out.printf(
        "%s: %s%s%n", r.address(), r.verdict().wireName(), r.smtputf8() ? " (needs SMTPUTF8)" : "");
    if (r.asciiDomain() != null && !r.asciiDomain().equals(domainOf(r.address()))) {
      out.printf("  domain: %s%n", r.asciiDomain());
    }
    if (r.mx() != null) {
      out.printf(
          "  mx: %s%n",
          r.mx().isEmpty()
              ? "(none)"
              : String.join(
                  ", ", r.mx().stream().map(h -> h.preference() + " " + h.host()).toList()));
    }
    r.reasons().forEach(reason -> out.printf("  - %s%n", reason));
    if (r.smtp() != null) {
      out.printf(
          "  smtp %s: deliverable %s, catch-all %s%n",
          r.smtp().host(), yesNo(r.smtp().deliverable()), yesNo(r.smtp().catchAll()));
      if (verbose) {
        r.smtp().replies().forEach(l -> out.printf("    %s%n", l.replace("\n", "\n    ")));
      }
    }
  }

  private static String yesNo(Boolean b) {
    return b == null ? "unknown" : b ? "yes" : "no";
  }

  private static String domainOf(String address) {
    return address.substring(address.lastIndexOf('@') + 1);
  }
}

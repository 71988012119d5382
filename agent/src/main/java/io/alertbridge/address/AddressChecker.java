package io.alertbridge.address;

import io.alertbridge.address.AddressReport.Verdict;
import io.alertbridge.mailbox.MailboxSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges whether an address can receive mail, in up to three levels: syntax (always), DNS (MX,
 * implicit MX, null MX) and an SMTP probe. A level that cannot answer makes the verdict {@code
 * unknown}, never {@code invalid}: only a definite answer condemns an address.
 */
public final class AddressChecker {
  private final Optional<MxLookup> dns;
  private final Optional<MailboxProbe> probe;
  private final Optional<SmtpTarget> probeServer;

  /**
   * @param dns ask DNS for mail hosts (needed to probe unless {@code probeServer} is given)
   * @param probe probe the mail host over SMTP
   * @param probeServer probe this server instead of the domain's mail hosts
   */
  public AddressChecker(
      Optional<MxLookup> dns, Optional<MailboxProbe> probe, Optional<SmtpTarget> probeServer) {
    this.dns = dns;
    this.probe = probe;
    this.probeServer = probeServer;
  }

  public AddressReport check(String address) {
    MailboxSyntax.Result syntax = MailboxSyntax.check(address);
    if (!syntax.valid()) {
      return new AddressReport(
          address,
          Verdict.INVALID,
          false,
          syntax.smtputf8(),
          syntax.reasons(),
          syntax.asciiDomain().orElse(null),
          null,
          null);
    }
    String domain = syntax.asciiDomain().orElseThrow();
    List<String> reasons = new ArrayList<>();
    if (syntax.smtputf8()) {
      reasons.add("internationalised address: the receiving servers must support SMTPUTF8");
    }
    Verdict verdict = Verdict.VALID;
    List<MxResult.MxHost> mxHosts = null;
    List<SmtpTarget> targets = new ArrayList<>();
    if (domain.startsWith("[")) {
      targets.add(new SmtpTarget(literalHost(domain), 25));
    } else if (dns.isPresent()) {
      MxResult mx = dns.get().lookup(domain);
      mxHosts = mx.hosts();
      if (mx.status().undeliverable()) {
        reasons.add(mx.detail());
        return report(address, Verdict.INVALID, syntax, reasons, mxHosts, null);
      }
      if (mx.status() == MxResult.Status.UNKNOWN) {
        reasons.add(mx.detail());
        verdict = Verdict.UNKNOWN;
      }
      mx.hosts().forEach(h -> targets.add(new SmtpTarget(h.host(), 25)));
    }
    if (probe.isEmpty()) {
      return report(address, verdict, syntax, reasons, mxHosts, null);
    }
    List<SmtpTarget> probeTargets = probeServer.map(List::of).orElse(targets);
    if (probeTargets.isEmpty()) {
      reasons.add("no mail host to probe");
      return report(address, Verdict.UNKNOWN, syntax, reasons, mxHosts, null);
    }
    // The domain travels as its A-label; only a non-ASCII local part needs SMTPUTF8.
    String local = address.substring(0, address.lastIndexOf('@'));
    ProbeResult p =
        probe.get().probe(local + "@" + domain, domain, probeTargets, syntax.smtputf8());
    reasons.add(p.detail());
    Verdict probed =
        switch (p.outcome()) {
          case DELIVERABLE -> Verdict.VALID;
          case ACCEPT_ALL, SMTPUTF8_UNSUPPORTED -> Verdict.RISKY;
          case UNDELIVERABLE -> Verdict.INVALID;
          case TRY_LATER, UNREACHABLE, SENDER_REFUSED -> Verdict.UNKNOWN;
        };
    return report(
        address,
        probed,
        syntax,
        reasons,
        mxHosts,
        new AddressReport.Smtp(p.host(), p.replies(), p.catchAll(), p.deliverable()));
  }

  private static String literalHost(String literal) {
    String body = literal.substring(1, literal.length() - 1);
    return body.regionMatches(true, 0, "IPv6:", 0, 5) ? body.substring(5) : body;
  }

  private static AddressReport report(
      String address,
      Verdict verdict,
      MailboxSyntax.Result syntax,
      List<String> reasons,
      List<MxResult.MxHost> mx,
      AddressReport.Smtp smtp) {
    return new AddressReport(
        address,
        verdict,
        true,
        syntax.smtputf8(),
        reasons,
        syntax.asciiDomain().orElse(null),
        mx,
        smtp);
  }
}

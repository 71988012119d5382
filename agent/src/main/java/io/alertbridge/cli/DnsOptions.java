package io.alertbridge.cli;

import io.alertbridge.address.MxLookup;
import io.alertbridge.address.SmtpTarget;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --dns-server}, shared by the commands that look up MX records. */
final class DnsOptions {
  @Option(
      names = "--dns-server",
      paramLabel = "HOST[:PORT]",
      description = "The DNS resolver to ask (default: the system's).")
  String dnsServer;

  MxLookup lookup(Duration timeout, CommandLine cli) throws UnknownHostException {
    if (dnsServer == null) {
      return new MxLookup(null, timeout);
    }
    try {
      SmtpTarget t = SmtpTarget.parse(dnsServer, 53);
      return new MxLookup(new InetSocketAddress(t.host(), t.port()), timeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, "--dns-server: " + e.getMessage());
    }
  }
}

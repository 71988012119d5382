package io.alertbridge.cli;

import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.smtp.SmtpDialog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by the commands that talk SMTP to probe a server. */
final class ProbeOptions {
  @Option(
      names = "--helo",
      paramLabel = "FQDN",
      description =
          "The name to send in EHLO (default: this host's name). Many servers refuse"
              + " names that do not resolve.")
  String helo;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Connect and reply timeout (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  SmtpDialog.Settings settings(boolean requireStartTls, CommandLine cli) {
    Duration t = Duration.ofSeconds(timeoutSeconds);
    if (helo != null) {
      MailboxSyntax.domainProblem(helo)
          .ifPresent(
              p -> {
                throw new CommandLine.ParameterException(cli, "--helo " + helo + ": " + p);
              });
    }
    return new SmtpDialog.Settings(helo != null ? helo : localName(), t, t, requireStartTls);
  }

  private static String localName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

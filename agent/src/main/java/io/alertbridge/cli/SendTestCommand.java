package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.daemon.SmtpWiring;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.Severity;
import io.alertbridge.event.Status;
import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Route;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpSubmissionException;
import jakarta.mail.internet.InternetAddress;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code alertbridge send-test}: one marked test alert through the configured SMTP server. */
@Command(
    name = "send-test",
    mixinStandardHelpOptions = true,
    description = {
      "Send one clearly marked test alert through the configured SMTP server, with the From,"
          + " headers and connection settings real alerts use, and print the server, its reply"
          + " and the queue ID. One attempt, no retries.",
      "Exit code 0 when the server accepted it, 1 when it did not, 2 on usage or configuration"
          + " errors."
    })
final class SendTestCommand implements Callable<Integer> {
  static final String TEMPLATE = "send-test";

  @Mixin ConfigOption config;

  @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The recipient.")
  String to;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    MailboxSyntax.Result syntax = MailboxSyntax.check(to);
    if (!syntax.valid()) {
      throw new ParameterException(
          spec.commandLine(),
          "--to " + to + " is not a valid address: " + String.join("; ", syntax.reasons()));
    }
    AlertbridgeConfig c = config.load();
    Clock clock = Clock.systemUTC();
    String host = InetAddress.getLocalHost().getHostName();
    Templates templates =
        Templates.inline(
            TEMPLATE,
            "[alertbridge test] {{ event.summary }}",
            """
        This is a test message from alertbridge. No action is needed.

        Sent by `alertbridge send-test` on {{ event.labels.host }} at \
        {{ event.time | date("yyyy-MM-dd HH:mm:ss 'UTC'") }} to check the SMTP settings.
        Test id: {{ event.id }}
        """);
    AlertEvent event =
        new AlertEvent(
            "send-test-" + UUID.randomUUID(),
            clock.instant(),
            "alertbridge/send-test",
            "send-test",
            Severity.INFO,
            Status.FIRING,
            "Test message from " + host + ", no action needed",
            "",
            Map.of("host", host),
            Map.of());
    Route route = Route.direct(TEMPLATE, List.of(new InternetAddress(to)), TEMPLATE);
    OutgoingMail mail =
        new MessageComposer(
                templates,
                c.smtp().from(),
                c.smtp().envelopeSender(),
                c.delivery().maxMessageSize().bytes(),
                clock)
            .compose(event, route);
    mail.message().setHeader("X-Alertbridge-Test", "yes");
    mail.message().saveChanges();
    PrintWriter out = spec.commandLine().getOut();
    try (MailSubmitter smtp = SmtpWiring.pool(c.smtp(), clock)) {
      Receipt r = smtp.submit(mail);
      out.printf(
          "accepted by %s%n  reply:      %s%n  queue ID:   %s%n  Message-ID: %s%n",
          r.server(), r.reply(), r.queueId().orElse("(none in the reply)"), r.messageId());
      out.flush();
      return Main.OK;
    } catch (SmtpSubmissionException e) {
      out.printf(
          "%s by %s%n  %s%n  Message-ID: %s%n",
          e.permanent() ? "refused" : "not accepted", e.server(), e.getMessage(), mail.messageId());
      out.flush();
      return Main.FAILED;
    }
  }
}

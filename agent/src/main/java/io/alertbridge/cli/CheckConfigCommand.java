package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.Durations;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import jakarta.mail.internet.InternetAddress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code alertbridge check-config}: validate everything the daemon would, then summarise. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate a configuration (and compile its templates) and print a summary.")
final class CheckConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AlertbridgeConfig c = config.load();
    Templates.compile(c.templates());
    Router router = Router.of(c);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("configuration %s is valid%n%n", config.file);
    out.printf(
        "kafka:     %s, group %s, topics %s, dead letters to %s%n",
        c.kafka().bootstrapServers(),
        c.kafka().groupId(),
        c.kafka().topics(),
        c.kafka().deadLetterTopic());
    SmtpSettings s = c.smtp();
    out.printf(
        "smtp:      from %s, envelope sender %s%n", s.from().toUnicodeString(), s.envelopeSender());
    s.servers().forEach(server -> out.printf("           server %s%n", server));
    out.printf(
        "           timeouts connect %s, read %s; %d connection(s); retry %d attempts,"
            + " backoff %s..%s%n",
        Durations.format(s.connectTimeout()),
        Durations.format(s.readTimeout()),
        s.connections(),
        s.retry().maxAttempts(),
        Durations.format(s.retry().initialBackoff()),
        Durations.format(s.retry().maxBackoff()));
    out.println("routes:");
    for (Route r : router.routes()) {
      out.printf(
          "  %-20s template %-12s%s -> %s%n",
          r.name(),
          r.template(),
          r.continueMatching() ? " (continue)" : "",
          String.join(", ", r.recipients().stream().map(InternetAddress::getAddress).toList()));
    }
    out.printf("templates: %s%n", c.templates().keySet());
    out.printf("audit:     %s%n", c.audit().file());
    out.flush();
    return Main.OK;
  }
}

package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.OutgoingMail;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alertbridge render}: what would be sent for an event, without sending it. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Show the routes an event matches and the messages they would send, as .eml, without sending.",
      "Exit code 1 when the event is invalid or matches no route."
    })
final class RenderCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--event",
      required = true,
      paramLabel = "EVENT.json",
      description = "An alert event (plain JSON or a structured-mode CloudEvent).")
  Path event;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write ROUTE.eml files into DIR instead of printing the messages.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AlertbridgeConfig c = config.load();
    Router router = Router.of(c);
    MessageComposer composer =
        new MessageComposer(
            Templates.compile(c.templates()),
            c.smtp().from(),
            c.smtp().envelopeSender(),
            c.delivery().maxMessageSize().bytes(),
            Clock.systemUTC());
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    AlertEvent e;
    try {
      e =
          new EventDecoder(c.kafka().maxEventSize().bytes())
              .decode(Files.readAllBytes(event), Map.of());
    } catch (InvalidEventException x) {
      stderr.println("alertbridge: " + event + " is not a valid event: " + x.getMessage());
      return Main.FAILED;
    }
    List<Route> routes = router.route(e);
    if (routes.isEmpty()) {
      stderr.println("alertbridge: event " + e.id() + " matches no route");
      return Main.FAILED;
    }
    for (Route r : routes) {
      OutgoingMail mail = composer.compose(e, r);
      stdout.printf(
          "route %s -> %s (Message-ID %s)%n", r.name(), mail.recipients(), mail.messageId());
      if (out != null) {
        Files.createDirectories(out);
        Path file = out.resolve(r.name() + ".eml");
        try (OutputStream os = Files.newOutputStream(file)) {
          mail.message().writeTo(os);
        }
        stdout.printf("  wrote %s%n", file);
      } else {
        ByteArrayOutputStream eml = new ByteArrayOutputStream();
        mail.message().writeTo(eml);
        stdout.println(eml.toString(StandardCharsets.UTF_8));
      }
    }
    stdout.flush();
    return Main.OK;
  }
}

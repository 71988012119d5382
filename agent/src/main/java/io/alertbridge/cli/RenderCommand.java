package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.policy.GroupPreview;
import io.alertbridge.policy.NotificationPlanner;
import io.alertbridge.policy.RoutePolicy;
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
import java.util.ArrayList;
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
      "Several --event options render the group mails the notification policy would send for",
      "them together (the first mail of each group).",
      "Exit code 1 when an event is invalid or matches no route."
    })
final class RenderCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--event",
      required = true,
      paramLabel = "EVENT.json",
      description = "An alert event (plain JSON or a structured-mode CloudEvent); repeatable.")
  List<Path> events;

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
    List<AlertEvent> decoded = new ArrayList<>();
    EventDecoder decoder = new EventDecoder(c.kafka().maxEventSize().bytes());
    for (Path event : events) {
      try {
        AlertEvent e = decoder.decode(Files.readAllBytes(event), Map.of());
        if (router.route(e).isEmpty()) {
          stderr.println("alertbridge: event " + e.id() + " matches no route");
          return Main.FAILED;
        }
        decoded.add(e);
      } catch (InvalidEventException x) {
        stderr.println("alertbridge: " + event + " is not a valid event: " + x.getMessage());
        return Main.FAILED;
      }
    }
    if (decoded.size() == 1) {
      AlertEvent e = decoded.get(0);
      for (Route r : router.route(e)) {
        print(r.name(), composer.compose(e, r), stdout);
      }
    } else {
      var planner =
          new NotificationPlanner(
              composer, c.policy().maxMailsPerRecipient(), c.policy().maxEventAge());
      for (GroupPreview.Mail m :
          GroupPreview.render(decoded, router, RoutePolicy.of(c, router), planner, composer)) {
        print(m.route() + "-" + m.group().substring(m.group().indexOf(':') + 1), m.mail(), stdout);
      }
    }
    stdout.flush();
    return Main.OK;
  }

  private void print(String name, OutgoingMail mail, PrintWriter stdout) throws Exception {
    stdout.printf("route %s -> %s (Message-ID %s)%n", name, mail.recipients(), mail.messageId());
    if (out != null) {
      Files.createDirectories(out);
      Path file = out.resolve(name + ".eml");
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
}

package io.alertbridge.demo;

import io.alertbridge.cli.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar demo/target/alertbridge-demo.jar}: the whole path on an embedded broker and SMTP
 * server. It lives in its own module so that the daemon's runtime carries no Kafka broker.
 */
@Command(
    name = "alertbridge-demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start an in-process Kafka broker (KRaft) and an SMTP server that answers like Postfix,",
      "produce engine-room readings (one malformed), run the real pipeline with the given",
      "configuration, print each audit line with its queue ID and write the mails as .eml files;",
      "then add a silence through the Alertmanager API, as amtool does, and show a reading it",
      "silences and an alarm inhibited behind a \"PLC comms lost\"; then, through an IMAP",
      "mailbox the daemon watches, acknowledge an alert by reply, let another escalate, and",
      "trace a bounce back to its event."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = "config/alertbridge.yaml",
      description = "The configuration to run (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "demo-out",
      description =
          "Where received mails (mail/*.eml) and the audit log go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--keep-running",
      description = "Keep the broker, SMTP server and pipeline up after the scripted events.")
  boolean keepRunning;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "90",
      description = "How long to wait for every event to be handled (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(execute(args));
  }

  /** Runs the demo's command line and returns its exit code. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new DemoCommand());
    cli.setExecutionExceptionHandler(DemoCommand::handle);
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    return Main.report("alertbridge-demo", e, cli.getErr());
  }

  @Override
  public Integer call() throws Exception {
    return new Demo(
            new Demo.Options(config, out, keepRunning, Duration.ofSeconds(timeoutSeconds)),
            System.out)
        .run();
  }
}

package io.alertbridge.cli;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigProblem;
import java.io.PrintWriter;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code alertbridge} command: parses, dispatches, and maps failures to exit codes. */
@Command(
    name = "alertbridge",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Turns alert events on Apache Kafka into email, with an audit trail of SMTP queue IDs.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      CheckAddressCommand.class,
      RelayTestCommand.class,
      SendTestCommand.class,
      RenderCommand.class,
      AuditCommand.class,
      SilenceCommand.class,
      RotaCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:a check or delivery failed", "2:usage or configuration error"})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    // Angus Mail and dnsjava's JDK parts log through java.util.logging: one log, one format.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(ExitStatus.record(execute(args)));
  }

  /** Runs the command line and returns its exit code; {@code main} without the exit. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::handle);
    return cli.execute(args);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    return report("alertbridge", e, cli.getErr());
  }

  /**
   * Prints a command's failure the way every alertbridge command does, and returns its exit code: 2
   * with each problem for a configuration error, 1 otherwise.
   */
  public static int report(String command, Exception e, PrintWriter err) {
    if (e instanceof ConfigException c) {
      err.println(command + ": configuration error:");
      for (ConfigProblem p : c.problems()) {
        err.println("  " + p);
      }
      err.flush();
      return USAGE;
    }
    err.println(command + ": " + e);
    err.flush();
    return FAILED;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}

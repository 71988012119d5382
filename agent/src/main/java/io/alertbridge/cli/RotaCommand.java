package io.alertbridge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code alertbridge rota}: the watch rotas of a configuration (issue 18). */
@Command(
    name = "rota",
    mixinStandardHelpOptions = true,
    description = "Show who is on watch on a rota list of the configuration.",
    subcommands = {RotaShowCommand.class})
final class RotaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: show");
  }
}

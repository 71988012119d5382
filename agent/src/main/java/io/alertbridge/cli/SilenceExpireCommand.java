package io.alertbridge.cli;

import io.alertbridge.silence.KafkaSilences;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge silence expire}: ends silences now, on every instance. */
@Command(
    name = "expire",
    mixinStandardHelpOptions = true,
    description = {
      "End silences now. Alerts they held back that still fire are mailed.",
      "Exit code 0 when every id was known, 1 when one was not (the others are expired)."
    })
final class SilenceExpireCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Silence ids, as add printed them.")
  List<String> ids;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    boolean allKnown = true;
    try (KafkaSilences store = SilenceCommandKafka.open(config.load())) {
      for (String id : ids) {
        if (store.expire(id).isEmpty()) {
          err.println("alertbridge silence expire: no silence has id " + id);
          allKnown = false;
        }
      }
    }
    err.flush();
    return allKnown ? Main.OK : Main.FAILED;
  }
}

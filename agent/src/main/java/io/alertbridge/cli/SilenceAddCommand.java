package io.alertbridge.cli;

import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.SilenceRules;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge silence add}: a new silence; its id alone on stdout. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Add a silence and print its id. An alert is silenced when every matcher",
      "matches it; one must fail an alert that lacks the field (no silence of all).",
      "Exit code 0 on success, 2 on a bad matcher, time or duration, or a silence",
      "refused."
    })
final class SilenceAddCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      converter = SilenceCommand.TimeConverter.class,
      description = "When it starts: 2026-12-01T22:00:00Z or with an offset (default: now).")
  Instant start;

  @ArgGroup(exclusive = true, multiplicity = "1")
  End end;

  static final class End {
    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        converter = SilenceCommand.DurationConverter.class,
        description = "How long from its start: 2h, 30m, 1d.")
    Duration duration;

    @Option(
        names = "--end",
        paramLabel = "TIME",
        converter = SilenceCommand.TimeConverter.class,
        description = "When it ends.")
    Instant end;
  }

  @Option(names = "--author", required = true, paramLabel = "NAME", description = "Who adds it.")
  String author;

  @Option(names = "--comment", required = true, paramLabel = "TEXT", description = "Why.")
  String comment;

  @Option(
      names = "--expire-on-resolve",
      description = "End it once every alert it matched has resolved.")
  boolean expireOnResolve;

  @Parameters(
      arity = "1..*",
      paramLabel = "MATCHER",
      converter = SilenceCommand.MatcherConverter.class,
      description = "labels.sensor=T3, type=overtemp, 'severity=~\"critical|major\"', …")
  List<Matcher> matchers;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // Whole seconds: what list shows is what was stored, and a start <1 s early changes nothing.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant starts = start == null ? now : start;
    Instant ends = end.duration != null ? starts.plus(end.duration) : end.end;
    PrintWriter err = spec.commandLine().getErr();
    try {
      // Before Kafka is contacted: a mistyped silence is told at once, whether or not Kafka is up.
      SilenceRules.check(matchers, starts, ends, author, comment, now, 0);
    } catch (MatcherException e) {
      return refused(err, e);
    }
    try (KafkaSilences store = SilenceCommandKafka.open(config.load())) {
      Silence added = store.add(matchers, starts, ends, author, comment, expireOnResolve);
      PrintWriter out = spec.commandLine().getOut();
      out.println(added.id());
      out.flush();
      return Main.OK;
    } catch (MatcherException e) {
      return refused(err, e); // a rule that needs the other silences: too many in force
    }
  }

  private static int refused(PrintWriter err, MatcherException e) {
    err.println("alertbridge silence add: " + e.getMessage());
    err.flush();
    return Main.USAGE;
  }
}

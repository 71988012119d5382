package io.alertbridge.cli;

import io.alertbridge.config.Durations;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code alertbridge silence}: add, list, expire and preview silences, in the manner of {@code
 * amtool silence}, straight on Kafka (the topic {@code STATE-silences}): no daemon needs to run.
 */
@Command(
    name = "silence",
    mixinStandardHelpOptions = true,
    description = {
      "Add, list, expire and preview silences on the topic STATE-silences,",
      "which every alertbridge instance reads. No daemon needs to run.",
      "Matchers: source, type, severity or labels.NAME with =, !=, =~ or !~,",
      "e.g. labels.sensor=T3 'severity=~\"critical|major\"'."
    },
    subcommands = {
      SilenceAddCommand.class,
      SilenceListCommand.class,
      SilenceExpireCommand.class,
      SilenceQueryCommand.class
    })
final class SilenceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required: add, list, expire or query");
  }

  /** A matcher argument; a bad one is a usage error (exit 2) naming the matcher and the rule. */
  static final class MatcherConverter implements CommandLine.ITypeConverter<Matcher> {
    @Override
    public Matcher convert(String value) {
      try {
        return Matcher.parse(value);
      } catch (MatcherException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** ISO-8601 with a zone: {@code 2026-12-01T22:00:00Z} or {@code 2026-12-01T23:00:00+01:00}. */
  static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new CommandLine.TypeConversionException(
            "must be a time such as 2026-12-01T22:00:00Z or 2026-12-01T23:00:00+01:00, found "
                + value);
      }
    }
  }

  /** As the configuration writes durations: {@code 2h}, {@code 30m}, {@code PT90M}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value).orElse(null);
      if (d == null) {
        throw new CommandLine.TypeConversionException(Durations.RULE + ", found " + value);
      }
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("must be positive, found " + value);
      }
      return d;
    }
  }
}

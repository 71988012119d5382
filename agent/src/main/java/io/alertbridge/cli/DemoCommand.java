package io.alertbridge.cli;

import io.alertbridge.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code alertbridge demo}: the whole path on an embedded broker and SMTP server. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start an in-process Kafka broker (KRaft) and an SMTP server that answers like Postfix,",
      "produce engine-room readings (one malformed), run the real pipeline with the given",
      "configuration, print each audit line with its queue ID and write the mails as .eml files."
    })
final class DemoCommand implements Callable<Integer> {
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

  @Override
  public Integer call() throws Exception {
    return new Demo(
            new Demo.Options(config, out, keepRunning, Duration.ofSeconds(timeoutSeconds)),
            System.out)
        .run();
  }
}

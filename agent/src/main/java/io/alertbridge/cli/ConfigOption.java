package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the commands that read a configuration. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "FILE",
      description = "The YAML configuration file.")
  Path file;

  AlertbridgeConfig load() throws ConfigException {
    return new ConfigLoader(System.getenv()).load(file);
  }
}

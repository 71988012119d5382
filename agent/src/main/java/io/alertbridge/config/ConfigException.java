package io.alertbridge.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(
        problems.stream()
            .map(ConfigProblem::toString)
            .collect(Collectors.joining(System.lineSeparator())));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String path, String found, String rule) {
    this(List.of(new ConfigProblem(path, found, rule)));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}

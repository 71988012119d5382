package io.alertbridge.config;

/**
 * One thing wrong with a configuration: where (the key path), what was found there, and the rule it
 * breaks. Rendered as {@code path: rule (found: value)}.
 */
public record ConfigProblem(String path, String found, String rule) {
  @Override
  public String toString() {
    return found == null ? path + ": " + rule : path + ": " + rule + " (found: " + found + ")";
  }
}

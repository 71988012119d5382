package io.alertbridge.web;

import java.util.List;

/** Reads and applies the configuration again ({@code POST /-/reload}); the daemon implements it. */
public interface Reloader {
  /**
   * What a reload did.
   *
   * @param problems why the new configuration was refused (the last good one stays); empty when it
   *     took effect
   */
  record Result(List<String> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public static Result ok() {
      return new Result(List.of());
    }

    public boolean succeeded() {
      return problems.isEmpty();
    }
  }

  Result reload();
}

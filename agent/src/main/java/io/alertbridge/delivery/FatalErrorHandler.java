package io.alertbridge.delivery;

/**
 * Told about a failure that no retry can mend (a dead-letter topic we may not write to, an {@link
 * Error}, a bug outside any record): the daemon stops with a clear message and a non-zero exit, so
 * the unit file or container restart policy takes over and an operator sees it, instead of a
 * partition that silently never moves.
 */
@FunctionalInterface
public interface FatalErrorHandler {
  void fatal(String what, Throwable cause);
}

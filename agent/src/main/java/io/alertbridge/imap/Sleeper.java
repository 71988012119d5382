package io.alertbridge.imap;

import java.time.Duration;

/** Waits between attempts; injected so tests of backoff need not sleep. */
@FunctionalInterface
interface Sleeper {
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration d) throws InterruptedException;
}

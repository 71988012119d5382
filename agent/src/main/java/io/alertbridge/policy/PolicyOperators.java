package io.alertbridge.policy;

import io.alertbridge.silence.Silences;

/**
 * What operators steer while the policy runs (issue 17), shared by every task of an instance: the
 * silences (read whole from {@code STATE-silences}) and the watched alerts (from {@code
 * STATE-watched}) that inhibition and expire-on-resolve look at.
 */
public record PolicyOperators(Silences silences, WatchedAlerts watched) {
  public PolicyOperators {
    silences = silences == null ? Silences.NONE : silences;
    watched = watched == null ? new WatchedAlerts() : watched;
  }

  /** No silences and nothing watched yet: tests of the topology. */
  public static PolicyOperators none() {
    return new PolicyOperators(Silences.NONE, new WatchedAlerts());
  }
}

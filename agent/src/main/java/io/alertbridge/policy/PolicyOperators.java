package io.alertbridge.policy;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.silence.Silences;

/**
 * What operators steer while the policy runs (issue 17), shared by every task of an instance: the
 * silences (read whole from {@code STATE-silences}) and the watched alerts (from {@code
 * STATE-watched}) that inhibition and expire-on-resolve look at.
 */
public record PolicyOperators(Silences silences, WatchedAlerts watched, Acks acks) {
  public PolicyOperators {
    silences = silences == null ? Silences.NONE : silences;
    watched = watched == null ? new WatchedAlerts() : watched;
    acks = acks == null ? Acks.NONE : acks;
  }

  public PolicyOperators(Silences silences, WatchedAlerts watched) {
    this(silences, watched, Acks.NONE);
  }

  /**
   * The keys that check responses (issue 18): reply and bounce tokens ({@code inbound.key-file}),
   * acknowledge links ({@code http.link-key-file}); null when that channel is off.
   */
  public record Acks(MailTokens tokens, AckLinks links) {
    public static final Acks NONE = new Acks(null, null);
  }

  /** No silences and nothing watched yet: tests of the topology. */
  public static PolicyOperators none() {
    return new PolicyOperators(Silences.NONE, new WatchedAlerts());
  }
}

package io.alertbridge.kafka;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Finds a broker's "not authorised" in a failure's causes. Kafka Streams wraps the producer's or
 * consumer's exception (a {@code StreamsException} around a {@code
 * TransactionalIdAuthorizationException}, for example), so the type of the top one says nothing. A
 * missing ACL is a configuration error: no restart mends it, so the daemon exits 2, which systemd's
 * {@code RestartPreventExitStatus=2} does not restart in a loop.
 */
public final class AuthorizationFailure {
  private AuthorizationFailure() {}

  public static Optional<AuthorizationException> in(Throwable failure) {
    // Bounded: a cause chain with a cycle must not hang the daemon's fatal path.
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof AuthorizationException a) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}

package io.alertbridge.smtp.pool;

import io.alertbridge.smtp.AttemptListener;
import io.alertbridge.smtp.MailSubmitter;
import io.alertbridge.smtp.OutgoingMail;
import io.alertbridge.smtp.Receipt;
import io.alertbridge.smtp.SmtpStage;
import io.alertbridge.smtp.SmtpSubmissionException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits each transaction to the lowest-priority-number server whose circuit is not open and that
 * has a free connection and rate budget; servers of equal priority share by least busy. A server
 * failure (connection, TLS, AUTH, a refusal of MAIL FROM, 421, any 4xx, no reply) is counted
 * against that server's circuit breaker and the mail goes to the next server at once; backoff
 * happens above, only when no server took it. A 5xx to RCPT or after DATA is the message's fault:
 * it counts for the server (it worked) and is final on every server. When every server refused at
 * AUTH or MAIL FROM with a 5xx, the refusal is permanent.
 */
public final class SmtpPool implements MailSubmitter {
  private volatile AttemptListener attempts = AttemptListener.NONE;
  private static final Logger log = LoggerFactory.getLogger(SmtpPool.class);
  private static final Duration CAPACITY_POLL = Duration.ofMillis(10);

  private final CircuitBreakerConfig circuit;
  private final Duration capacityWait;

  /**
   * Replaced whole by {@link #replace}. A submission reads it at each choice of server, so it never
   * picks a removed server and may fail over to one just added.
   */
  private volatile List<PooledServer> servers;

  private volatile int maxRecipients;

  /** Removed servers still finishing a transaction, so that {@link #close} closes them too. */
  private final List<PooledServer> retired = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param capacityWait how long a submission waits for a free connection or rate budget on a
   *     healthy server before it fails (transiently) and the retry policy takes over
   */
  public SmtpPool(List<PoolMember> members, CircuitBreakerConfig circuit, Duration capacityWait) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a pool needs at least one server");
    }
    this.circuit = circuit;
    this.servers = members.stream().map(m -> pooled(m, circuit)).toList();
    this.capacityWait = capacityWait;
    this.maxRecipients = strictest(members);
  }

  private static PooledServer pooled(PoolMember m, CircuitBreakerConfig circuit) {
    Optional<RateLimiter> rate =
        m.ratePermits()
            .map(
                permits ->
                    RateLimiter.of(
                        m.name(),
                        RateLimiterConfig.custom()
                            // One message per window/count, not count at each window's start:
                            // a fixed window lets 2×count through across its boundary, and
                            // providers count in sliding windows.
                            .limitForPeriod(1)
                            .limitRefreshPeriod(m.rateWindow().orElseThrow().dividedBy(permits))
                            .timeoutDuration(Duration.ZERO)
                            .build()));
    return new PooledServer(
        m.name(),
        m.priority(),
        m.connections(),
        m.maxRecipientsPerMessage(),
        m.client(),
        CircuitBreaker.of(m.name(), circuit),
        rate);
  }

  /** Any server may have to take any transaction (failover), so the strictest limit applies. */
  private static int strictest(List<PoolMember> members) {
    return members.stream().mapToInt(PoolMember::maxRecipientsPerMessage).min().orElseThrow();
  }

  /** The circuit breakers' configuration from the operator's three numbers. */
  public static CircuitBreakerConfig circuit(
      float failureRatePercent, int minimumCalls, Duration openFor) {
    return CircuitBreakerConfig.custom()
        .failureRateThreshold(failureRatePercent)
        .minimumNumberOfCalls(minimumCalls)
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(Math.max(minimumCalls, 10))
        .waitDurationInOpenState(openFor)
        // A few trial transactions decide whether a server that recovered comes back.
        .permittedNumberOfCallsInHalfOpenState(2)
        .build();
  }

  @Override
  public Receipt submit(OutgoingMail mail) throws SmtpSubmissionException {
    return submit(mail, UncertainObserver.NONE);
  }

  @Override
  public Receipt submit(OutgoingMail mail, UncertainObserver observer)
      throws SmtpSubmissionException {
    Set<PooledServer> tried = new HashSet<>();
    SmtpSubmissionException last = null;
    boolean everyRefusalPermanent = true;
    long deadline = System.nanoTime() + capacityWait.toNanos();
    while (true) {
      PooledServer s = acquire(tried);
      boolean probe = false;
      if (s == null && tried.isEmpty() && servers.stream().noneMatch(PooledServer::circuitAllows)) {
        // Every circuit is open. Breakers choose between servers; they must not make alertbridge
        // wait longer than its retry policy: this attempt probes the first server anyway.
        s = probe();
        probe = s != null;
      }
      if (s == null) {
        if (anyHealthyUntried(tried) && System.nanoTime() - deadline < 0) {
          pause();
          continue;
        }
        throw exhausted(last, everyRefusalPermanent && tried.containsAll(servers), tried);
      }
      tried.add(s);
      long start = System.nanoTime();
      try {
        Receipt r = s.client.submit(mail);
        long took = System.nanoTime() - start;
        s.succeeded(took, probe);
        s.lastReply = r.reply().toString();
        attempts.attempt(s.name, "2xx", took);
        return r;
      } catch (SmtpSubmissionException e) {
        long took = System.nanoTime() - start;
        s.lastReply = e.getMessage();
        attempts.attempt(s.name, AttemptListener.resultOf(e), took);
        if (e.uncertain()) {
          observer.uncertain(e);
        }
        if (!e.serverFault() && e.permanent()) {
          // The server did its job: it refused this message, as any other server would.
          s.succeeded(took, probe);
          throw e;
        }
        s.circuit.onError(took, TimeUnit.NANOSECONDS, e);
        everyRefusalPermanent &= e.permanent();
        if (e.permanent()) {
          log.error(
              "SMTP server {} refuses our mail at {}: {}; trying another server",
              s.name,
              e.stage(),
              e.getMessage());
        } else {
          log.warn(
              "SMTP server {} failed for {} at {}: {}; trying another server",
              s.name,
              mail.messageId(),
              e.stage(),
              e.getMessage());
        }
        last = e;
      } finally {
        s.release();
      }
    }
  }

  /** The best server not yet tried that can take a transaction now, with its permits; or null. */
  private PooledServer acquire(Set<PooledServer> tried) {
    List<PooledServer> candidates =
        servers.stream()
            .filter(s -> !tried.contains(s))
            .sorted(
                Comparator.comparingInt((PooledServer s) -> s.priority)
                    .thenComparingInt(PooledServer::busy))
            .toList();
    for (PooledServer s : candidates) {
      if (s.tryAcquire()) {
        return s;
      }
    }
    return null;
  }

  /** The first server by priority with a free connection, whatever its circuit says. */
  private PooledServer probe() {
    return servers.stream()
        .sorted(Comparator.comparingInt((PooledServer s) -> s.priority))
        .filter(PooledServer::tryAcquireIgnoringCircuit)
        .findFirst()
        .orElse(null);
  }

  private boolean anyHealthyUntried(Set<PooledServer> tried) {
    return servers.stream().anyMatch(s -> !tried.contains(s) && s.circuitAllows());
  }

  private static void pause() {
    try {
      Thread.sleep(CAPACITY_POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SmtpSubmissionException exhausted(
      SmtpSubmissionException last, boolean permanent, Set<PooledServer> tried) {
    String states =
        servers.stream()
            .map(s -> s.name + " " + s.circuit.getState().name().toLowerCase())
            .collect(Collectors.joining(", "));
    if (last == null) {
      return new SmtpSubmissionException(
          "(pool)",
          Optional.empty(),
          false,
          SmtpStage.CONNECT,
          "no SMTP server can take mail now (" + states + ")",
          null);
    }
    String tries = tried.stream().map(s -> s.name).sorted().collect(Collectors.joining(", "));
    return new SmtpSubmissionException(
        last.server(),
        last.reply(),
        permanent,
        last.stage(),
        (permanent ? "every server refused: " : "no server took it (tried " + tries + "): ")
            + last.getMessage(),
        last);
  }

  @Override
  public int maxRecipientsPerMessage() {
    return maxRecipients;
  }

  /** Tells {@code listener} about every attempt from now on (metrics). */
  public void onAttempt(AttemptListener listener) {
    this.attempts = listener;
  }

  /** Each server as it is now. */
  public List<ServerStatus> status() {
    return servers.stream().map(PooledServer::status).toList();
  }

  /** Each server's circuit state, for logs and tests. */
  public List<String> states() {
    return servers.stream()
        .map(s -> s.name + "=" + s.circuit.getState().name().toLowerCase())
        .toList();
  }

  /**
   * A reload's change of servers: each server named in {@code removed} takes no new transaction,
   * finishes those under way and then closes its connections; {@code added} take mail at once. A
   * changed server is removed and added under the same name. New submissions never wait for a
   * removed server.
   *
   * @throws IllegalArgumentException when no server would be left, or a name would be taken twice
   */
  public synchronized void replace(Set<String> removed, List<PoolMember> added) {
    List<PooledServer> leaving = servers.stream().filter(s -> removed.contains(s.name)).toList();
    List<PooledServer> next = new ArrayList<>(servers);
    next.removeAll(leaving);
    Set<String> names = new HashSet<>();
    next.forEach(s -> names.add(s.name));
    for (PoolMember m : added) {
      if (!names.add(m.name())) {
        throw new IllegalArgumentException("server " + m.name() + " is in the pool already");
      }
    }
    if (next.isEmpty() && added.isEmpty()) {
      throw new IllegalArgumentException("a pool needs at least one server");
    }
    added.forEach(m -> next.add(pooled(m, circuit)));
    servers = List.copyOf(next);
    maxRecipients = next.stream().mapToInt(s -> s.maxRecipients).min().orElseThrow();
    retired.removeIf(PooledServer::clientClosed);
    retired.addAll(leaving);
    leaving.forEach(
        s -> {
          log.info("SMTP server {} removed: it takes no new mail and closes when idle", s.name);
          s.retire();
        });
  }

  @Override
  public void close() {
    servers.forEach(PooledServer::closeClient);
    retired.forEach(PooledServer::closeClient);
  }
}

package io.alertbridge.smtp.pool;

import io.alertbridge.smtp.MailSubmitter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server of the pool with what decides whether it may take a transaction now: its circuit
 * breaker (is it healthy?), its connections (is one free?) and its rate limiter (is there budget?).
 */
final class PooledServer {
  final String name;
  final int priority;
  final MailSubmitter client;
  final CircuitBreaker circuit;
  final Optional<RateLimiter> rate;
  final int maxConnections;
  final int maxRecipients;
  private final Semaphore connections;
  private final AtomicInteger busy = new AtomicInteger();

  /** Times a mail found this server's rate budget spent (and waited or went elsewhere). */
  private final java.util.concurrent.atomic.AtomicLong rateLimited =
      new java.util.concurrent.atomic.AtomicLong();

  /** The last reply or failure, for the status page; null before the first transaction. */
  volatile String lastReply;

  /** Removed by a reload: takes no new transaction, and closes its client once none is left. */
  private boolean retired;

  private boolean clientClosed;

  PooledServer(
      String name,
      int priority,
      int connections,
      int maxRecipients,
      MailSubmitter client,
      CircuitBreaker circuit,
      Optional<RateLimiter> rate) {
    this.name = name;
    this.priority = priority;
    this.client = client;
    this.circuit = circuit;
    this.rate = rate;
    this.connections = new Semaphore(connections);
    this.maxConnections = connections;
    this.maxRecipients = maxRecipients;
  }

  ServerStatus status() {
    return new ServerStatus(
        name,
        priority,
        circuit.getState().name().toLowerCase(java.util.Locale.ROOT),
        busy.get(),
        maxConnections,
        lastReply,
        rateLimited.get());
  }

  /** Transactions under way; equal priorities share by least busy. */
  int busy() {
    return busy.get();
  }

  boolean circuitAllows() {
    return circuit.getState() != CircuitBreaker.State.OPEN
        && circuit.getState() != CircuitBreaker.State.FORCED_OPEN;
  }

  /**
   * Takes a connection, the circuit's permission and a rate permit, all or none. The order keeps a
   * rate permit from being spent on a server that then has no free connection.
   */
  synchronized boolean tryAcquire() {
    if (retired || !connections.tryAcquire()) {
      return false;
    }
    if (!circuit.tryAcquirePermission()) {
      connections.release();
      return false;
    }
    if (rate.isPresent() && !rate.get().acquirePermission()) {
      rateLimited.incrementAndGet();
      circuit.releasePermission();
      connections.release();
      return false;
    }
    busy.incrementAndGet();
    return true;
  }

  /** A connection and a rate permit without the circuit's permission: a probe while it is open. */
  synchronized boolean tryAcquireIgnoringCircuit() {
    if (retired || !connections.tryAcquire()) {
      return false;
    }
    if (rate.isPresent() && !rate.get().acquirePermission()) {
      rateLimited.incrementAndGet();
      connections.release();
      return false;
    }
    busy.incrementAndGet();
    return true;
  }

  /**
   * A transaction the server handled (accepted, or refused the message itself).
   *
   * @param probe whether it went through an open circuit ({@link #tryAcquireIgnoringCircuit})
   */
  void succeeded(long nanos, boolean probe) {
    if (probe && !circuitAllows()) {
      // A probe through an open circuit worked: the server is back.
      circuit.transitionToClosedState();
    } else {
      circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void release() {
    boolean drained;
    synchronized (this) {
      drained = busy.decrementAndGet() == 0 && retired;
      connections.release();
    }
    if (drained) {
      // Not on the submitting thread: closing says QUIT to idle connections, and the mail that
      // just went through should not wait for that.
      Thread closer = new Thread(this::closeClient, "alertbridge-smtp-close-" + name);
      closer.setDaemon(true);
      closer.start();
    }
  }

  /**
   * Takes no new transaction from now on; the client closes when the last one under way ends (at
   * once when none is). Permits are taken under this object's lock, so no submission can slip in
   * between the check and the close.
   */
  void retire() {
    boolean idle;
    synchronized (this) {
      retired = true;
      idle = busy.get() == 0;
    }
    if (idle) {
      // On a thread of its own, as in release(): QUIT to a hung server waits its read timeout, and
      // removing a hung server is what a reload is often for; the reload must not wait for it.
      Thread closer = new Thread(this::closeClient, "alertbridge-smtp-close-" + name);
      closer.setDaemon(true);
      closer.start();
    }
  }

  synchronized boolean clientClosed() {
    return clientClosed;
  }

  void closeClient() {
    synchronized (this) {
      if (clientClosed) {
        return;
      }
      clientClosed = true;
    }
    client.close();
  }
}

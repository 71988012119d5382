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
  private final Semaphore connections;
  private final AtomicInteger busy = new AtomicInteger();

  /** Times a mail found this server's rate budget spent (and waited or went elsewhere). */
  private final java.util.concurrent.atomic.AtomicLong rateLimited =
      new java.util.concurrent.atomic.AtomicLong();

  /** The last reply or failure, for the status page; null before the first transaction. */
  volatile String lastReply;

  PooledServer(
      String name,
      int priority,
      int connections,
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
  boolean tryAcquire() {
    if (!connections.tryAcquire()) {
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
  boolean tryAcquireIgnoringCircuit() {
    if (!connections.tryAcquire()) {
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
    busy.decrementAndGet();
    connections.release();
  }
}

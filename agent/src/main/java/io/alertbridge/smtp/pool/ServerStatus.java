package io.alertbridge.smtp.pool;

/**
 * One pool server as it is now, for metrics, health and the status page.
 *
 * @param circuit {@code closed}, {@code open}, {@code half_open} (and Resilience4j's other states)
 * @param lastReply the last reply or failure, or null before the first transaction
 * @param rateLimited times a mail found the server's {@code rate} budget spent
 */
public record ServerStatus(
    String name,
    int priority,
    String circuit,
    int busy,
    int connections,
    String lastReply,
    long rateLimited) {
  public boolean available() {
    return !circuit.equals("open") && !circuit.equals("forced_open");
  }
}

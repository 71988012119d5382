package io.alertbridge.web;

import java.time.Duration;

/**
 * How much the HTTP endpoint reads of a client, and how long it waits for it.
 *
 * @param requestTimeout from accepting a connection to the end of its request head
 * @param responseTimeout from the end of the request head to the last byte of the response
 * @param maxConnections open connections per listener
 * @param maxRequestBytes of a request head (request line and headers); longer ones get 431
 * @param maxBodyBytes of a request body; longer ones get 413
 */
record HttpLimits(
    Duration requestTimeout,
    Duration responseTimeout,
    int maxConnections,
    int maxRequestBytes,
    int maxBodyBytes) {
  /**
   * Prometheus scrapes and kubelet probes send a few hundred bytes in well under a second; 10 s
   * allows a slow link. The response gets 30 s: a search takes at most 5 s (StatusSource). A
   * silence is a few hundred bytes of JSON; 64 KiB leaves room for long comments, not for a flood.
   */
  static final HttpLimits DEFAULT =
      new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 64, 8192, 64 * 1024);
}

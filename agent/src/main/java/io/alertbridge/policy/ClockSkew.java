package io.alertbridge.policy;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code policy.max-clock-skew}: an event time further ahead of this clock is a producer's wrong
 * clock, not a reading from the future. Trusted, it would become its alert's latest reading, and
 * every later one, the resolution included, would be {@code superseded} until the clock caught up
 * (issue 15, H2). It is taken as read now; the skew is audited and counted per source.
 */
final class ClockSkew {
  private static final Logger log = LoggerFactory.getLogger(ClockSkew.class);

  private final PolicyTopology.Wiring w;
  private final PolicyAuditor auditor;

  ClockSkew(PolicyTopology.Wiring w, PolicyAuditor auditor) {
    this.w = w;
    this.auditor = auditor;
  }

  /**
   * The event as the policy may trust it: as it is, or read when its record was written ({@code
   * recordTime}, Kafka's timestamp, at most {@code now}). Not simply {@code now}: in a backlog the
   * readings produced after the skewed one, and its resolution, carry earlier times than the moment
   * the backlog is worked off, and would all be superseded by it.
   */
  RoutedEvent trusted(RoutedEvent e, long now, long recordTime) {
    long ahead = e.event().time() - now;
    if (ahead <= w.maxClockSkew().toMillis()) {
      return e;
    }
    log.warn(
        "event {} from {}: time {} is {} s ahead of this clock; taken as read when written",
        e.event().id(),
        e.event().source(),
        Instant.ofEpochMilli(e.event().time()),
        ahead / 1000);
    long readAt = recordTime > 0 ? Math.min(now, recordTime) : now;
    auditor.append(
        PolicyAudit.skewed(Instant.ofEpochMilli(now), Instant.ofEpochMilli(readAt), e, ahead));
    w.observer().clockSkewed(e.event().source(), Duration.ofMillis(ahead));
    return new RoutedEvent(e.event().at(readAt), e.routes(), e.topic(), e.partition(), e.offset());
  }
}

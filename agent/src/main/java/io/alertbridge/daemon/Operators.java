package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.policy.PolicyOperators;
import io.alertbridge.policy.WatchedAlerts;
import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.TopicFollower;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators steer at run time (issue 17), as one instance holds it: the silences of {@code
 * STATE-silences} and the watched alerts of {@code STATE-watched}, each read whole by a follower of
 * its own. It writes the audit lines of silences (each instance records what it saw, so each audit
 * log explains its own suppressions), ends silences whose time is up or whose alerts resolved, and
 * forgets long-expired ones. The policy stage creates both topics; without the policy there are no
 * operators' controls (docs/policy.md).
 */
final class Operators implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Operators.class);

  /** Alertmanager keeps expired silences this long (its {@code data.retention}). */
  static final Duration RETENTION = Duration.ofHours(120);

  /** How often silences are looked at for their end. */
  static final Duration SWEEP = Duration.ofSeconds(5);

  /**
   * An expire-on-resolve silence younger than this is not ended: other tasks may not have spoken.
   */
  static final Duration SETTLE = Duration.ofSeconds(30);

  private final KafkaSilences silences;
  private final WatchedAlerts watched = new WatchedAlerts();
  private final TopicFollower watchedFollower;
  private final String watchedTopic;
  private final AuditLog audit;
  private final Clock clock;
  private final Set<String> covering = new HashSet<>();
  private Instant swept;
  private final ScheduledExecutorService scheduler =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "alertbridge-operators");
            t.setDaemon(true);
            return t;
          });

  Operators(AlertbridgeConfig config, String stateTopic, AuditLog audit, Clock clock) {
    this.audit = audit;
    this.clock = clock;
    Map<String, Object> consumer = KafkaClients.consumer(config.kafka());
    this.silences =
        new KafkaSilences(
            KafkaSilences.topicFor(stateTopic),
            consumer,
            KafkaClients.producer(config.kafka()),
            clock);
    this.watchedTopic = stateTopic + "-watched";
    this.watchedFollower =
        new TopicFollower(watchedTopic, consumer, watched::apply, "alertbridge-watched");
  }

  KafkaSilences silences() {
    return silences;
  }

  PolicyOperators policy(PolicyOperators.Acks acks) {
    return new PolicyOperators(silences, watched, acks);
  }

  /**
   * Starts reading both topics and the sweeps, on a thread of their own: an expiry waits for the
   * broker, which must never hold up the delivery timer's retries; waits (bounded) for the silences
   * to load.
   */
  void start() {
    silences.onChange(this::changed);
    silences.start();
    watchedFollower.start();
    swept = clock.instant();
    scheduler.scheduleWithFixedDelay(
        this::sweepSafely, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    try {
      if (!silences.awaitLoaded(Duration.ofSeconds(30))) {
        log.warn("silences not loaded within 30s; they take effect once read");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A silence added or ended through any instance or the CLI, seen after the initial load. */
  private void changed(Silence before, Silence after) {
    Instant now = clock.instant();
    if (before == null) {
      auditLine(AuditStatus.SILENCE_ADDED, after, now);
      if (!after.activeAt(now) && !after.startsAt().isAfter(now)) {
        auditLine(AuditStatus.SILENCE_EXPIRED, after, now);
      }
    } else if (after.endsAt().isBefore(before.endsAt()) && before.endsAt().isAfter(now)) {
      // Ended by a write (expired through the API, the CLI, the page, or on resolve): its end
      // moved earlier, whatever this instance's clock says of the writer's.
      auditLine(AuditStatus.SILENCE_EXPIRED, after, now);
    }
  }

  private void sweepSafely() {
    try {
      sweep(clock.instant());
    } catch (RuntimeException e) {
      log.warn("silence sweep failed, next in {}: {}", SWEEP, e.toString());
    }
  }

  /** Silences whose end time passed since the last sweep; expire-on-resolve ones that are done. */
  void sweep(Instant now) {
    for (Silence s : silences.endingBetween(swept, now)) {
      if (s.updatedAt().isBefore(s.endsAt())) {
        // Ran out (an expiry write has its end at its update, and was audited as written).
        auditLine(AuditStatus.SILENCE_EXPIRED, s, now);
      }
    }
    swept = now;
    covering.retainAll(
        silences.all().stream().filter(s -> s.activeAt(now)).map(Silence::id).toList());
    if (!watchedFollower.caughtUp() || watched.dropped() > 0) {
      // Half a view (a replay after a restart, or alerts that did not fit) could look resolved.
      return;
    }
    for (Silence s : silences.all()) {
      if (!s.expireOnResolve() || !s.activeAt(now)) {
        continue;
      }
      if (watched.covers(s)) {
        covering.add(s.id());
      } else if (covering.contains(s.id()) && s.startsAt().plus(SETTLE).isBefore(now)) {
        log.info("silence {}: every alert it covered has resolved; expiring it", s.id());
        covering.remove(s.id());
        silences.expire(s.id());
      }
    }
  }

  private void purge() {
    try {
      int n = silences.purgeExpired(RETENTION);
      if (n > 0) {
        log.info("forgot {} silences expired more than {} ago", n, RETENTION);
      }
    } catch (RuntimeException e) {
      log.warn("purging expired silences failed: {}", e.toString());
    }
  }

  private void auditLine(AuditStatus status, Silence s, Instant now) {
    audit.append(
        new AuditRecord(
            now,
            status,
            null,
            null,
            null,
            -1,
            -1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            null,
            s.id(),
            new AuditRecord.SilenceNote(
                s.id(),
                s.matchers().stream().map(Matcher::toString).toList(),
                s.startsAt(),
                s.endsAt(),
                s.createdBy(),
                s.comment())));
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    watchedFollower.close();
    silences.close();
  }
}

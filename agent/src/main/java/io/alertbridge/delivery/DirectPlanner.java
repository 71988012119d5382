package io.alertbridge.delivery;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event mailed at once to each route it matches: the path without a notification policy. With
 * {@code delivery.max-event-age} set, an older event is audited {@code suppressed} ({@code stale})
 * instead: after switching the policy off, or a long outage, a backlog must not arrive as one mail
 * per event.
 */
public final class DirectPlanner implements MailPlanner {
  private static final Logger log = LoggerFactory.getLogger(DirectPlanner.class);

  /** The audit reason of an event older than the age limit; the policy's word for it too. */
  public static final String STALE = "stale";

  /** A backlog of stale events logs one line per partition at most this often. */
  static final Duration STALE_WARNING_INTERVAL = Duration.ofMinutes(1);

  private final EventDecoder decoder;
  private final Router router;
  private final MessageComposer composer;
  private final Duration maxEventAge;
  private final Clock clock;
  private final Map<String, Instant> lastStaleWarning = new ConcurrentHashMap<>();

  /**
   * @param maxEventAge events older than this are not mailed; zero: no limit
   */
  public DirectPlanner(
      EventDecoder decoder,
      Router router,
      MessageComposer composer,
      Duration maxEventAge,
      Clock clock) {
    if (maxEventAge.isNegative()) {
      throw new IllegalArgumentException("maxEventAge must not be negative, found " + maxEventAge);
    }
    this.decoder = decoder;
    this.router = router;
    this.composer = composer;
    this.maxEventAge = maxEventAge;
    this.clock = clock;
  }

  @Override
  public Plan plan(InboundRecord r) {
    AlertEvent event;
    try {
      event = decoder.decode(r.value(), r.headerText());
    } catch (InvalidEventException e) {
      return new Unusable(AuditStatus.INVALID, null, e.getMessage());
    }
    List<Route> routes = router.route(event);
    if (routes.isEmpty()) {
      return new Unusable(AuditStatus.DEAD_LETTERED, event.id(), "no route matched the event");
    }
    if (stale(r, event)) {
      return new Suppressed(event.id(), routes.stream().map(Route::name).toList(), STALE);
    }
    // One instant for the plan and the mail, so both name the same watch of a rota.
    Instant at = clock.instant();
    return new Mails(
        routes.stream()
            .map(
                route ->
                    new PlannedMail(
                        route.name(),
                        route.recipients(at),
                        List.of(event.id()),
                        null,
                        event.time(),
                        () -> composer.compose(event, route, at)))
            .toList());
  }

  private boolean stale(InboundRecord r, AlertEvent event) {
    if (maxEventAge.isZero()) {
      return false;
    }
    Instant now = clock.instant();
    Duration age = Duration.between(event.time(), now);
    if (age.compareTo(maxEventAge) <= 0) {
      return false;
    }
    String partition = r.topic() + "-" + r.partition();
    Instant last = lastStaleWarning.get(partition);
    if (last == null || !now.isBefore(last.plus(STALE_WARNING_INTERVAL))) {
      lastStaleWarning.put(partition, now);
      log.warn(
          "event {} at {} is {} old, older than delivery.max-event-age {}: audited suppressed"
              + " (stale), not mailed; more such events of {} are not logged for {}",
          event.id(),
          r.position(),
          age,
          maxEventAge,
          partition,
          STALE_WARNING_INTERVAL);
    }
    return true;
  }
}

package io.alertbridge.delivery;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import java.util.List;

/** Every event mailed at once to each route it matches: the path without a notification policy. */
public final class DirectPlanner implements MailPlanner {
  private final EventDecoder decoder;
  private final Router router;
  private final MessageComposer composer;

  public DirectPlanner(EventDecoder decoder, Router router, MessageComposer composer) {
    this.decoder = decoder;
    this.router = router;
    this.composer = composer;
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
    return new Mails(
        routes.stream()
            .map(
                route ->
                    new PlannedMail(
                        route.name(),
                        route.recipients(),
                        List.of(event.id()),
                        null,
                        event.time(),
                        () -> composer.compose(event, route)))
            .toList());
  }
}

package io.alertbridge.policy;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.route.Route;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage's first step, on the alert topics' partitions: decode and route each record, and
 * pass it on once per route keyed by its group, or to the dead-letter topic. Both outputs, and the
 * audit lines, are written in the same Kafka transaction as the input's offset, so a crash loses
 * nothing and repeats nothing. {@link SettledProcessor} settles what this step throws.
 */
final class RouteProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(RouteProcessor.class);

  private final PolicyTopology.Wiring w;
  private ProcessorContext<Object, Object> context;
  private PolicyAuditor auditor;

  RouteProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.auditor = PolicyAuditor.forwarding(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    InboundRecord in = StageRecords.inbound(context.recordMetadata().orElseThrow(), record);
    AlertEvent event;
    try {
      event = w.decoder().decode(in.value(), in.headerText());
    } catch (InvalidEventException e) {
      log.warn("invalid event at {}: {}", in.position(), e.getMessage());
      deadLetter(in, null, new DeadLetter(AuditStatus.INVALID, e.getMessage()));
      return;
    }
    if (event.id().equals(w.crashOnEventId())) {
      throw new TestCrash(event.id());
    }
    List<Route> routes = w.router().route(event);
    if (routes.isEmpty()) {
      String reason = "no route matched the event";
      log.warn("event {} at {}: {}", event.id(), in.position(), reason);
      deadLetter(in, event.id(), new DeadLetter(AuditStatus.DEAD_LETTERED, reason));
      return;
    }
    AlertSnapshot full = AlertSnapshot.of(event);
    AlertSnapshot snapshot = full.bounded(GroupPolicy.MAX_SNAPSHOT_BYTES);
    if (snapshot == null) {
      String reason =
          "the event's id, source, type and labels take more than "
              + GroupPolicy.MAX_SNAPSHOT_BYTES
              + " bytes, more than the policy keeps of an alert";
      log.warn("event {} at {}: {}", event.id(), in.position(), reason);
      deadLetter(in, event.id(), new DeadLetter(AuditStatus.DEAD_LETTERED, reason));
      return;
    }
    if (snapshot != full) {
      w.observer().didNotFit("event");
    }
    // One record per route, keyed by its group: a group's events reach one task, whichever
    // recipients or place the route has (issue 16).
    for (Route r : routes) {
      RoutePolicy route = w.routes().get(r.name());
      String key = Fingerprints.groupKey(route.name(), route.groupBy(), snapshot);
      byte[] value =
          PolicyJson.write(
              new RoutedEvent(
                  snapshot, List.of(r.name()), in.topic(), in.partition(), in.offset()));
      context.forward(new Record<Object, Object>(key, value, record.timestamp()));
    }
  }

  private void deadLetter(InboundRecord in, String eventId, DeadLetter dl) {
    Instant now = w.clock().instant();
    auditor.append(PolicyAudit.deadLettered(now, in, eventId, dl));
    context.forward(StageRecords.deadLetter(w.deadLetterTopic(), in, dl, now));
  }

  /**
   * Thrown for {@code ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID} only: an {@link Error}, so that no
   * per-record handling settles it and the stream thread dies, as it would on a bug of the JVM's
   * kind. Tests use it to show that the crash guard ends the loop.
   */
  static final class TestCrash extends Error {
    private static final long serialVersionUID = 1L;

    TestCrash(String eventId) {
      super("test crash on event " + eventId + " (ALERTBRIDGE_TEST_CRASH_ON_EVENT_ID)");
    }
  }
}

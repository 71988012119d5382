package io.alertbridge.policy;

import io.alertbridge.audit.AuditStatus;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.InvalidEventException;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.route.Route;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage's first step, on the alert topics' partitions: decode and route each record, and
 * pass it on keyed by its routes' partition key, or to the dead-letter topic. Both outputs are
 * written in the same Kafka transaction as the input's offset, so a crash loses nothing.
 */
final class RouteProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger log = LoggerFactory.getLogger(RouteProcessor.class);

  private final PolicyTopology.Wiring w;
  private ProcessorContext<Object, Object> context;

  RouteProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    InboundRecord in = inbound(record);
    AlertEvent event;
    try {
      event = w.decoder().decode(in.value(), in.headerText());
    } catch (InvalidEventException e) {
      log.warn("invalid event at {}: {}", in.position(), e.getMessage());
      deadLetter(in, null, new DeadLetter(AuditStatus.INVALID, e.getMessage()));
      return;
    }
    List<Route> routes = w.router().route(event);
    if (routes.isEmpty()) {
      String reason = "no route matched the event";
      log.warn("event {} at {}: {}", event.id(), in.position(), reason);
      deadLetter(in, event.id(), new DeadLetter(AuditStatus.DEAD_LETTERED, reason));
      return;
    }
    // One record per partition key: the routes of one key are handled by one task.
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (Route r : routes) {
      byKey
          .computeIfAbsent(w.routes().get(r.name()).partitionKey(), k -> new ArrayList<>())
          .add(r.name());
    }
    AlertSnapshot snapshot = AlertSnapshot.of(event);
    byKey.forEach(
        (key, names) ->
            context.forward(
                new Record<Object, Object>(
                    key,
                    PolicyJson.write(
                        new RoutedEvent(snapshot, names, in.topic(), in.partition(), in.offset())),
                    record.timestamp()),
                PolicyTopology.TO_GROUPS));
  }

  private void deadLetter(InboundRecord in, String eventId, DeadLetter dl) {
    AuditStatus status = dl.status();
    w.audit(
        PolicyAudit.line(
            w.clock().instant(),
            status,
            eventId == null ? List.of() : List.of(eventId),
            in.topic(),
            in.partition(),
            in.offset(),
            null,
            null,
            null,
            dl.reason()));
    ProducerRecord<byte[], byte[]> copy =
        KafkaDeadLetterSink.copy(w.deadLetterTopic(), in, dl, false, w.clock().instant());
    context.forward(
        new Record<Object, Object>(copy.key(), copy.value(), context.currentSystemTimeMs())
            .withHeaders(copy.headers()),
        PolicyTopology.DEAD_LETTERS);
  }

  private InboundRecord inbound(Record<byte[], byte[]> record) {
    RecordMetadata m = context.recordMetadata().orElseThrow();
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(h.key(), h.value()));
    }
    return new InboundRecord(
        m.topic(),
        m.partition(),
        m.offset(),
        record.key(),
        record.value(),
        headers,
        record.timestamp());
  }
}

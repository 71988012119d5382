package io.alertbridge.policy;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.delivery.DeadLetter;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The records a step of the policy stage writes besides its main output: audit lines (to the
 * notification topic, for the delivery stage to append once their transaction committed) and
 * dead-letter copies. A header tells them apart; {@link PolicyOutput} sends each to its topic.
 */
public final class StageRecords {
  /** Marks a record on the notification topic that is an audit line, not a mail. */
  public static final String KIND_HEADER = "alertbridge-record";

  public static final String AUDIT = "audit";
  static final String DEAD_LETTER = "dead-letter";

  /** A routed event on its way back to the events topic under its group's key. */
  static final String REKEY = "rekey";

  /** A firing alert others depend on, or its end, for the watched topic ({@link WatchedAlerts}). */
  static final String WATCH = "watch";

  /** A notification from the group step ({@link #notification}). */
  static final String NOTIFY = "notify";

  /** An alert of a release before issue 16, on its way into the new stores ({@link Imports}). */
  static final String IMPORT = "import";

  /** The same for a producer outside the topology ({@link LegacyState}). */
  static ProducerRecord<byte[], byte[]> imported(String eventsTopic, ImportedAlert a) {
    return new ProducerRecord<>(
        eventsTopic,
        null,
        a.group().getBytes(StandardCharsets.UTF_8),
        PolicyJson.write(a),
        marked(new RecordHeaders(), IMPORT));
  }

  /**
   * A dead-letter copy of a larger record is truncated before it is forwarded: the Streams producer
   * refuses a record over its {@code max.request.size} (1 MiB), and that refusal, coming after the
   * input was processed, is what crash-looped the stage (review C1a). The full value stays in the
   * source topic at the offset the copy's headers name.
   */
  static final int MAX_FULL_COPY_BYTES = 64 * 1024;

  private StageRecords() {}

  /** An audit line as a record, keyed like the group it is about, so it keeps its mail's order. */
  static Record<Object, Object> audit(AuditRecord r) {
    return new Record<Object, Object>(
            auditKey(r), r.toJson().getBytes(StandardCharsets.UTF_8), r.time().toEpochMilli())
        .withHeaders(marked(new RecordHeaders(), AUDIT));
  }

  /** The same line for a producer outside the topology (the exception handlers). */
  static ProducerRecord<byte[], byte[]> audit(String notificationsTopic, AuditRecord r) {
    return new ProducerRecord<>(
        notificationsTopic,
        null,
        auditKey(r).getBytes(StandardCharsets.UTF_8),
        r.toJson().getBytes(StandardCharsets.UTF_8),
        marked(new RecordHeaders(), AUDIT));
  }

  private static String auditKey(AuditRecord r) {
    if (r.group() != null) {
      return r.group();
    }
    return r.route() != null ? r.route() : r.topic() + "-" + r.partition();
  }

  /** The dead-letter copy of {@code in} as a record for {@link PolicyOutput}. */
  static Record<Object, Object> deadLetter(
      String deadLetterTopic, InboundRecord in, DeadLetter dl, Instant now) {
    ProducerRecord<byte[], byte[]> copy = copy(deadLetterTopic, in, dl, now);
    return new Record<Object, Object>(copy.key(), copy.value(), now.toEpochMilli())
        .withHeaders(marked(copy.headers(), DEAD_LETTER));
  }

  /**
   * The dead-letter copy, truncated (as {@link KafkaDeadLetterSink} does on the direct path) when
   * the original is over {@link #MAX_FULL_COPY_BYTES}, with its topic, partition and offset in the
   * headers either way.
   */
  static ProducerRecord<byte[], byte[]> copy(
      String deadLetterTopic, InboundRecord in, DeadLetter dl, Instant now) {
    boolean truncated = in.sizeInBytes() > MAX_FULL_COPY_BYTES;
    return KafkaDeadLetterSink.copy(deadLetterTopic, in, dl, truncated, now);
  }

  /**
   * Set on a record the grouping step sent back to the events topic under another key: an import
   * ({@link #IMPORT}) or a routed event ({@code rekeyed}), so it is never sent back again.
   */
  static final String PAYLOAD_HEADER = "alertbridge-rekeyed";

  /**
   * A record on its way back to the events topic, to the task that owns {@code key}: a routed event
   * of an earlier version, or an alert moved to its new group ({@code IMPORT}).
   */
  static Record<Object, Object> rekeyed(String key, byte[] value, long timestamp, String payload) {
    Headers h = marked(new RecordHeaders(), REKEY);
    h.add(PAYLOAD_HEADER, payload.getBytes(StandardCharsets.UTF_8));
    return new Record<Object, Object>(key, value, timestamp).withHeaders(h);
  }

  /**
   * A notification the group step sends straight to the notification topic, past the mail step: an
   * acknowledgement's confirmation (issue 18), few and owed to everyone told.
   */
  static Record<Object, Object> notification(String key, byte[] value, long timestamp) {
    return new Record<Object, Object>(key, value, timestamp)
        .withHeaders(marked(new RecordHeaders(), NOTIFY));
  }

  /** A watched alert's state (null value: it stopped firing) for the watched topic. */
  static Record<Object, Object> watched(String key, byte[] value, long timestamp) {
    return new Record<Object, Object>(key, value, timestamp)
        .withHeaders(marked(new RecordHeaders(), WATCH));
  }

  /** What a record on the events topic carries: {@link #IMPORT}, or null for a routed event. */
  static boolean isImport(Headers headers) {
    Header h = headers.lastHeader(PAYLOAD_HEADER);
    return IMPORT.equals(kind(headers))
        || (h != null
            && h.value() != null
            && IMPORT.equals(new String(h.value(), StandardCharsets.UTF_8)));
  }

  /** True for a record the grouping step sent back to the events topic once already. */
  static boolean wasRekeyed(Headers headers) {
    return headers.lastHeader(PAYLOAD_HEADER) != null;
  }

  /** The kind a header names, or null for a step's main output. */
  static String kind(Headers headers) {
    Header h = headers.lastHeader(KIND_HEADER);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Whether a consumed record of the notification topic is an audit line. */
  public static boolean isAudit(InboundRecord r) {
    return AUDIT.equals(r.headerText().get(KIND_HEADER));
  }

  static Headers unmarked(Headers headers) {
    Headers copy = new RecordHeaders(headers.toArray());
    copy.remove(KIND_HEADER);
    return copy;
  }

  private static Headers marked(Headers headers, String kind) {
    Headers copy = new RecordHeaders(headers.toArray());
    copy.add(KIND_HEADER, kind.getBytes(StandardCharsets.UTF_8));
    return copy;
  }

  /** A record of a step's input as the dead-letter code takes it. */
  static InboundRecord inbound(RecordMetadata m, Record<byte[], byte[]> record) {
    return inbound(m.topic(), m.partition(), m.offset(), record.key(), record.value(), record);
  }

  static InboundRecord inbound(
      String topic, int partition, long offset, byte[] key, byte[] value, Record<?, ?> record) {
    List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
    for (Header h : record.headers()) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(h.key(), h.value()));
    }
    return new InboundRecord(topic, partition, offset, key, value, headers, record.timestamp());
  }
}

package io.alertbridge.policy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends what a step forwards to its topic by the {@link StageRecords#KIND_HEADER} header: audit
 * lines to the notification topic, dead-letter copies (without the header) to the dead-letter
 * topic, the rest to the step's main output. A step then needs one child only, so {@code
 * context.forward(record)} cannot reach a sink it was not meant for.
 *
 * <p>Each step has sinks of its own: a sink shared by the route and the policy step would join
 * their sub-topologies into one, and with it the alert topics' and the events topic's tasks.
 */
final class PolicyOutput implements Processor<Object, Object, Object, Object> {
  private final String main;
  private final String audit;
  private final String deadLetters;
  private final String rekey;
  private final String watch;
  private ProcessorContext<Object, Object> context;

  PolicyOutput(String main, String audit, String deadLetters) {
    this(main, audit, deadLetters, null, null);
  }

  /**
   * With {@code rekey}: the sink of routed events that return to the events topic; {@code watch}:
   * the watched alerts' topic.
   */
  PolicyOutput(String main, String audit, String deadLetters, String rekey, String watch) {
    this.main = main;
    this.audit = audit;
    this.deadLetters = deadLetters;
    this.rekey = rekey;
    this.watch = watch;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<Object, Object> record) {
    String kind = StageRecords.kind(record.headers());
    if (StageRecords.AUDIT.equals(kind)) {
      context.forward(record, audit);
    } else if (StageRecords.DEAD_LETTER.equals(kind)) {
      Object key = record.key() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
      if (record.key() instanceof byte[] bytes) {
        key = bytes;
      }
      context.forward(
          record.withKey(key).withHeaders(StageRecords.unmarked(record.headers())), deadLetters);
    } else if (StageRecords.REKEY.equals(kind) && rekey != null) {
      context.forward(record.withHeaders(StageRecords.unmarked(record.headers())), rekey);
    } else if (StageRecords.NOTIFY.equals(kind)) {
      // The audit sink writes to the notification topic; without the header it is a mail.
      context.forward(record.withHeaders(StageRecords.unmarked(record.headers())), audit);
    } else if (StageRecords.WATCH.equals(kind) && watch != null) {
      context.forward(record.withHeaders(StageRecords.unmarked(record.headers())), watch);
    } else {
      context.forward(record, main);
    }
  }
}

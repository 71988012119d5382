package io.alertbridge.policy;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The policy's mail step, on {@code STATE-mails}: group mails keyed by recipient pass the storm
 * guard ({@link StormGuard}) or fold into its digest; stale events keyed by route go into their
 * route's backlog summary ({@link BacklogSummaries}). Group mails are few (at most one per group
 * and group-interval), so this repartition costs little and keeps the guard's counts exact across
 * instances (issue 16).
 */
final class MailProcessor implements Processor<String, byte[], String, byte[]> {
  private final PolicyTopology.Wiring w;
  private final TimerIndex timers = new TimerIndex();
  private CommitPacer commits;
  private ProcessorContext<String, byte[]> context;
  private StormGuard guard;
  private BacklogSummaries backlogs;

  MailProcessor(PolicyTopology.Wiring wiring) {
    this.w = wiring;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.commits = new CommitPacer(context);
    PolicyAuditor auditor = PolicyAuditor.forwarding(context);
    this.guard =
        new StormGuard(
            w,
            auditor,
            context.getStateStore(PolicyTopology.WINDOWS_STORE),
            context.getStateStore(PolicyTopology.FOLDED_STORE),
            timers,
            this::emit);
    this.backlogs =
        new BacklogSummaries(
            w,
            auditor,
            context.getStateStore(PolicyTopology.BACKLOGS_STORE),
            context.getStateStore(PolicyTopology.FOLDED_STORE),
            timers,
            this::emit);
    guard.rebuild();
    backlogs.rebuild();
    context.schedule(
        GroupProcessor.TICK, PunctuationType.WALL_CLOCK_TIME, t -> tick(w.clock().millis()));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    MailRequest m = PolicyJson.readState(record.value(), MailRequest.class);
    long now = w.clock().millis();
    if (m instanceof Notification.GroupMail mail) {
      guard.handle(mail, now);
    } else if (m instanceof StaleEvent stale) {
      backlogs.add(stale, now);
    }
  }

  /** Sends the digests and summaries due ({@link TimerIndex#fireDue}). */
  void tick(long now) {
    timers.fireDue(
        now,
        t -> {
          switch (t.kind()) {
            case StormGuard.KIND -> guard.due(t, now);
            case BacklogSummaries.KIND -> backlogs.due(t, now);
            default -> timers.remove(t);
          }
        },
        w.observer());
  }

  private void emit(Notification n) {
    context.forward(
        new Record<>(n.group(), PolicyJson.writeAs(n, Notification.class), n.created()));
    commits.forwarded();
  }
}

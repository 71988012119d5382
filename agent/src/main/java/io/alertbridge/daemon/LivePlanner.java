package io.alertbridge.daemon;

import io.alertbridge.delivery.MailPlanner;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The delivery stage's planner, replaced whole by a reload: each record is planned by one
 * configuration's routes, templates and sender, never half of two.
 */
final class LivePlanner implements MailPlanner {
  private final AtomicReference<MailPlanner> current;

  LivePlanner(MailPlanner initial) {
    this.current = new AtomicReference<>(initial);
  }

  @Override
  public Plan plan(io.alertbridge.delivery.InboundRecord record) {
    return current.get().plan(record);
  }

  /** Takes effect for the next record planned; records under way keep the mails they got. */
  void set(MailPlanner next) {
    current.set(next);
  }
}

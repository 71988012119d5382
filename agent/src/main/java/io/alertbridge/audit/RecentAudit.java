package io.alertbridge.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Keeps the last few audit records in memory for the status page, and passes each on. */
public final class RecentAudit implements AuditLog {
  private final AuditLog delegate;
  private final int keep;
  private final Deque<AuditRecord> recent = new ArrayDeque<>();

  public RecentAudit(AuditLog delegate, int keep) {
    this.delegate = delegate;
    this.keep = keep;
  }

  @Override
  public void append(AuditRecord r) {
    synchronized (recent) {
      recent.addFirst(r);
      if (recent.size() > keep) {
        recent.removeLast();
      }
    }
    delegate.append(r);
  }

  /** Newest first. */
  public List<AuditRecord> recent() {
    synchronized (recent) {
      return new ArrayList<>(recent);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}

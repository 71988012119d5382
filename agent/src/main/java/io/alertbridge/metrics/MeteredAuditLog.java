package io.alertbridge.metrics;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts outcomes as they are audited: every outcome of every event and mail passes through the
 * audit log, so counting here cannot miss one or count one the log does not show.
 *
 * <p>A mail whose recipients were split over several SMTP transactions (a server's recipient limit,
 * or recipients deferred and retried) has one {@code sent} line per transaction, all with the same
 * Message-ID: each is a mail transaction, but its events were mailed once. The lines of one mail
 * are written one after the other, so remembering the last few Message-IDs is enough.
 */
public final class MeteredAuditLog implements AuditLog {
  /** Message-IDs remembered; far more than the lines of other mails written in between. */
  static final int RECENT_MESSAGE_IDS = 4096;

  private final AuditLog delegate;
  private final Metrics m;
  private final Map<String, Boolean> recentlyMailed =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_MESSAGE_IDS;
        }
      };

  public MeteredAuditLog(AuditLog delegate, Metrics metrics) {
    this.delegate = delegate;
    this.m = metrics;
  }

  @Override
  public void append(AuditRecord r) {
    count(r);
    try {
      delegate.append(r);
    } catch (RuntimeException e) {
      m.auditWriteFailures.inc();
      throw e;
    }
  }

  private void count(AuditRecord r) {
    String topic = r.topic() == null ? "" : r.topic();
    String route = r.route() == null ? "" : r.route();
    String server = r.smtpServer() == null ? "" : r.smtpServer();
    switch (r.status()) {
      case SENT -> {
        m.mails.labelValues(route, server, "sent").inc();
        if (firstLineOfMail(r.messageId())) {
          m.events.labelValues(topic, "mailed", "").inc(r.eventIds().size());
        }
        m.lastSuccessfulMail.set(r.time().toEpochMilli() / 1e3);
      }
      case REJECTED -> {
        m.mails.labelValues(route, server, "rejected").inc();
        m.events.labelValues(topic, "rejected", "").inc(r.eventIds().size());
      }
      case UNCERTAIN -> m.mails.labelValues(route, server, "uncertain").inc();
      case INVALID -> m.events.labelValues(topic, "invalid", "").inc();
      case DEAD_LETTERED ->
          m.events.labelValues(topic, "dead_lettered", "").inc(Math.max(1, r.eventIds().size()));
      case SUPPRESSED -> {
        String reason = r.reason() == null ? "" : r.reason();
        m.events.labelValues(topic, "suppressed", reason).inc();
        m.policySuppressed.labelValues(reason).inc();
      }
    }
  }

  private boolean firstLineOfMail(String messageId) {
    if (messageId == null) {
      return true;
    }
    synchronized (recentlyMailed) {
      return recentlyMailed.put(messageId, Boolean.TRUE) == null;
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}

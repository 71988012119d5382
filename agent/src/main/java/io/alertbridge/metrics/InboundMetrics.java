package io.alertbridge.metrics;

import io.alertbridge.imap.Disposition;
import io.alertbridge.imap.MailboxListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/** The inbound mailbox's counters (issue 18): messages by the folder they went to, failures. */
final class InboundMetrics {
  private InboundMetrics() {}

  static MailboxListener listener(PrometheusRegistry registry) {
    Counter moved =
        Counter.builder()
            .name("alertbridge_inbound_messages_total")
            .help(
                "Messages read from the inbound mailbox (replies, bounces), by the folder they were"
                    + " moved to: processed or rejected")
            .labelNames("disposition")
            .register(registry);
    moved.labelValues("processed").inc(0);
    moved.labelValues("rejected").inc(0);
    Counter failures =
        Counter.builder()
            .name("alertbridge_inbound_failures_total")
            .help(
                "Inbound mailbox failures, by kind: handler (the message stays and is read again)"
                    + " or connection (the reader reconnects)")
            .labelNames("kind")
            .register(registry);
    failures.labelValues("handler").inc(0);
    failures.labelValues("connection").inc(0);
    return new MailboxListener() {
      @Override
      public void moved(long uid, Disposition d) {
        moved.labelValues(d.name().toLowerCase(Locale.ROOT)).inc();
      }

      @Override
      public void handlerFailed(long uid, Exception e) {
        failures.labelValues("handler").inc();
      }

      @Override
      public void disconnected(Exception e) {
        failures.labelValues("connection").inc();
      }
    };
  }
}

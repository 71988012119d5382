package io.alertbridge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredAuditLogTest {
  private final Metrics metrics = new Metrics("test");
  private final List<AuditRecord> written = new ArrayList<>();
  private final MeteredAuditLog log =
      new MeteredAuditLog(
          new AuditLog() {
            @Override
            public void append(AuditRecord r) {
              written.add(r);
            }

            @Override
            public void close() {}
          },
          metrics);

  private static AuditRecord sent(String messageId, List<String> eventIds, String recipient) {
    return new AuditRecord(
        Instant.parse("2026-12-01T10:00:00Z"),
        AuditStatus.SENT,
        eventIds.size() == 1 ? eventIds.get(0) : null,
        eventIds,
        "alerts",
        0,
        7,
        "default",
        null,
        List.of(recipient),
        List.of(),
        messageId,
        "sink:25",
        250,
        "2.0.0",
        "Ok",
        "Q1",
        1,
        null);
  }

  private double mailed() {
    return metrics.events.labelValues("alerts", "mailed", "").get();
  }

  private double sentTransactions() {
    return metrics.mails.labelValues("default", "sink:25", "sent").get();
  }

  @Test
  void aMailSplitOverSeveralTransactionsCountsItsEventsOnce() {
    log.append(sent("<m1@plant.example>", List.of("e1", "e2"), "a@plant.example"));
    log.append(sent("<m1@plant.example>", List.of("e1", "e2"), "b@plant.example"));
    log.append(sent("<m1@plant.example>", List.of("e1", "e2"), "c@plant.example"));
    assertThat(mailed()).isEqualTo(2);
    assertThat(sentTransactions()).isEqualTo(3);
    assertThat(written).hasSize(3);
  }

  @Test
  void differentMailsCountTheirEventsEach() {
    log.append(sent("<m1@plant.example>", List.of("e1"), "a@plant.example"));
    log.append(sent("<m2@plant.example>", List.of("e1"), "a@plant.example"));
    log.append(sent("<m3@plant.example>", List.of("e2", "e3"), "a@plant.example"));
    assertThat(mailed()).isEqualTo(4);
  }
}

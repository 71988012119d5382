package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.delivery.Cancellation;
import io.alertbridge.delivery.InboundRecord;
import io.alertbridge.delivery.RecordProcessor;
import io.alertbridge.delivery.ScriptedPipeline;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery stage appends the policy's audit lines when it reaches them on the notification
 * topic (committed records only), once, and mails nothing for them (review M4d).
 */
class AuditLineDeliveryTest {
  @TempDir Path dir;
  private ScriptedPipeline pipeline;
  private RecordProcessor processor;

  @BeforeEach
  void start() throws Exception {
    pipeline = new ScriptedPipeline(dir, ConfigFixtures.VALID);
    var config = pipeline.config;
    NotificationPlanner planner =
        new NotificationPlanner(
            new MessageComposer(
                Templates.compile(config.templates()),
                config.smtp().from(),
                config.smtp().envelopeSender(),
                1 << 20,
                Clock.systemUTC()),
            null,
            Duration.ofHours(1));
    processor = pipeline.processor(3, Duration.ofMillis(20), planner);
  }

  @AfterEach
  void stop() {
    pipeline.close();
  }

  private void deliver(String value) throws Exception {
    InboundRecord r =
        new InboundRecord(
            "state-notifications",
            0,
            9,
            "g1".getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8),
            List.of(
                new AbstractMap.SimpleImmutableEntry<>(
                    StageRecords.KIND_HEADER, StageRecords.AUDIT.getBytes(StandardCharsets.UTF_8))),
            0L);
    processor.process(r, new Cancellation()).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void anAuditRecordIsAppendedOnceAndNotMailed() throws Exception {
    AuditRecord line =
        PolicyAudit.line(
            Instant.parse("2026-11-30T10:00:00Z"),
            AuditStatus.SUPPRESSED,
            List.of("e1"),
            "alerts",
            2,
            41,
            "engine",
            "g1",
            "<m1.alertbridge@plant.example>",
            PolicyAudit.GROUPED);

    deliver(line.toJson());

    assertThat(pipeline.audited).containsExactly(line);
    assertThat(pipeline.sent).isEmpty();
    assertThat(pipeline.deadLettered).isEmpty();
  }

  @Test
  void anUnreadableAuditRecordIsDeadLetteredNotLost() throws Exception {
    deliver("{not json");

    assertThat(pipeline.deadLettered)
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).startsWith("not an audit line of the policy stage"));
    assertThat(pipeline.sent).isEmpty();
  }
}

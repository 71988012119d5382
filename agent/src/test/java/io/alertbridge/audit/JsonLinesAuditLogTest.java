package io.alertbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.ManualClock;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest {
  @TempDir Path dir;

  private static AuditRecord sent(long offset) {
    return new AuditRecord(
        Instant.parse("2026-11-28T13:05:01Z"),
        AuditStatus.SENT,
        "e1",
        List.of(),
        "alerts",
        0,
        offset,
        "engine-critical",
        null,
        List.of("a@plant.example"),
        List.of(),
        "<x@plant.example>",
        "mx:25",
        250,
        "2.0.0",
        "Ok: queued as D863060BD9",
        "D863060BD9",
        1,
        null);
  }

  @Test
  void writesOneJsonObjectPerLineWithSnakeCaseKeys() throws Exception {
    Path file = dir.resolve("sub/audit.jsonl");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(7));
      JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
      assertThat(line.get("time").asText()).isEqualTo("2026-11-28T13:05:01Z");
      assertThat(line.get("status").asText()).isEqualTo("sent");
      assertThat(line.get("queue_id").asText()).isEqualTo("D863060BD9");
      assertThat(line.get("reply_code").asInt()).isEqualTo(250);
      assertThat(line.get("enhanced_status").asText()).isEqualTo("2.0.0");
      assertThat(line.get("offset").asLong()).isEqualTo(7);
      assertThat(line.has("reason")).isTrue();
      assertThat(line.get("reason").isNull()).isTrue();
    }
  }

  @Test
  void appendsToAnExistingLogAcrossRestarts() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(1));
    }
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(2));
    }
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void statusesHaveTheirDocumentedWireNames() {
    assertThat(List.of(AuditStatus.values()))
        .extracting(AuditStatus::wireName)
        .containsExactly(
            "sent",
            "rejected",
            "uncertain",
            "invalid",
            "dead-lettered",
            "suppressed",
            "skewed",
            "silence-added",
            "silence-expired",
            "acknowledged",
            "unacknowledged",
            "ack-refused",
            "bounced",
            "delayed");
  }

  @Test
  void aTornLastLineIsCutWhenTheLogIsOpened() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(1));
    }
    // What a crash in the middle of a write leaves: half a line, no line end.
    Files.writeString(file, "{\"time\":\"2026-11-28T13:05", StandardOpenOption.APPEND);
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(2));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    for (String l : lines) {
      assertThat(new ObjectMapper().readTree(l).get("offset").asLong()).isPositive();
    }
    assertThat(Files.readString(file)).endsWith("}\n");
  }

  @Test
  void aLogMovedAwayByRotationIsReplacedByANewFileAtThePath() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Path rotated = dir.resolve("audit.jsonl.1");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(1));
      Files.move(file, rotated);
      log.append(sent(2));
      log.append(sent(3));
    }
    assertThat(Files.readAllLines(rotated)).hasSize(1).allMatch(l -> l.contains("\"offset\":1"));
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void aLogRemovedByRotationIsCreatedAgain() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(1));
      Files.delete(file);
      log.append(sent(2));
    }
    assertThat(Files.readAllLines(file)).hasSize(1).allMatch(l -> l.contains("\"offset\":2"));
  }

  @Test
  void copyTruncateRotationKeepsAppendingWithoutAHoleOfZeros() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      log.append(sent(1));
      log.append(sent(2));
      try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
        c.truncate(0);
      }
      log.append(sent(3));
    }
    assertThat(Files.readString(file)).doesNotContain("\0").startsWith("{");
    assertThat(Files.readAllLines(file)).hasSize(1);
  }

  @Test
  void fsyncAlwaysForcesEveryLine() throws Exception {
    try (JsonLinesAuditLog log =
        policyLog(FsyncPolicy.ALWAYS, new ManualClock(Instant.parse("2026-11-28T13:00:00Z")))) {
      log.append(sent(1));
      log.append(sent(2));
      assertThat(log.syncs()).isEqualTo(2);
    }
  }

  @Test
  void fsyncNeverForcesNothingEvenOnClose() throws Exception {
    JsonLinesAuditLog log =
        policyLog(FsyncPolicy.NEVER, new ManualClock(Instant.parse("2026-11-28T13:00:00Z")));
    log.append(sent(1));
    log.close();
    assertThat(log.syncs()).isZero();
  }

  @Test
  void fsyncIntervalForcesAtMostOncePerIntervalAndOnClose() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-28T13:00:00Z"));
    JsonLinesAuditLog log = policyLog(FsyncPolicy.INTERVAL, clock);
    log.append(sent(1));
    log.append(sent(2));
    assertThat(log.syncs()).as("within the first second").isZero();
    clock.advance(Duration.ofMillis(1000));
    log.append(sent(3));
    assertThat(log.syncs()).isEqualTo(1);
    log.append(sent(4));
    assertThat(log.syncs()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1500));
    log.syncIfDue();
    assertThat(log.syncs()).as("the timer syncs a tail left by the last append").isEqualTo(2);
    log.append(sent(5));
    log.close();
    assertThat(log.syncs()).as("close syncs what is left").isEqualTo(3);
  }

  @Test
  void anAppendAfterCloseFailsInsteadOfReopening() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    JsonLinesAuditLog log = new JsonLinesAuditLog(file);
    log.close();
    assertThatThrownBy(() -> log.append(sent(1)))
        .hasStackTraceContaining("the audit log is closed");
  }

  private JsonLinesAuditLog policyLog(FsyncPolicy p, Clock clock) throws Exception {
    return new JsonLinesAuditLog(
        dir.resolve("audit.jsonl"), p, Duration.ofSeconds(1), clock, false);
  }
}

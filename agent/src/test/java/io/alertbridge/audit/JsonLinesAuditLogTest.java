package io.alertbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "alerts",
        0,
        offset,
        "engine-critical",
        List.of("a@plant.example"),
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
        .containsExactly("sent", "rejected", "invalid", "dead-lettered");
  }
}

package io.alertbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alertbridge audit} over a log and its rotations, as logrotate leaves them. */
class AuditCommandTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private Path log;

  private static String line(
      String time, String status, String ids, String messageId, String queueId, String reason) {
    return ("{\"time\":\"%s\",\"status\":\"%s\",\"event_id\":null,\"event_ids\":[%s],"
            + "\"topic\":\"alerts\",\"partition\":0,\"offset\":1,\"route\":\"engine\","
            + "\"group\":\"engine:abc\",\"recipients\":[\"ops@plant.example\"],\"refused\":[],"
            + "\"message_id\":%s,\"smtp_server\":\"relay\",\"reply_code\":%s,"
            + "\"enhanced_status\":null,\"reply_text\":%s,\"queue_id\":%s,\"attempts\":1,"
            + "\"reason\":%s}")
        .formatted(
            time,
            status,
            ids,
            messageId == null ? "null" : "\"" + messageId + "\"",
            queueId == null ? "null" : "250",
            queueId == null ? "null" : "\"Ok: queued as " + queueId + "\"",
            queueId == null ? "null" : "\"" + queueId + "\"",
            reason == null ? "null" : "\"" + reason + "\"");
  }

  @BeforeEach
  void rotatedLogs() throws Exception {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    log = dir.resolve("audit.jsonl");
    Path oldest = dir.resolve("audit.jsonl.2.gz");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(oldest))) {
      gz.write(
          (line("2026-11-27T09:00:00Z", "sent", "\"a-1\"", "<m1@plant.example>", "4F3X2Y", null)
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Path older = dir.resolve("audit.jsonl.1");
    Files.writeString(
        older,
        line("2026-11-28T14:05:00Z", "suppressed", "\"b-7\"", "<m2@plant.example>", null, "grouped")
            + "\n");
    Files.writeString(
        log,
        line(
                "2026-11-29T14:05:30Z",
                "sent",
                "\"b-8\",\"c-1\"",
                "<m2@plant.example>",
                "D863060BD9",
                null)
            + "\n{\"time\":\"2026-11-29T14:06\n");
    Files.setLastModifiedTime(oldest, FileTime.from(Instant.parse("2026-11-27T10:00:00Z")));
    Files.setLastModifiedTime(older, FileTime.from(Instant.parse("2026-11-28T15:00:00Z")));
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int audit(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "audit";
    all[1] = "--file";
    all[2] = log.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return Main.execute(all);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSuppressedEventLeadsToTheMailThatCoveredItAndItsQueueId() {
    assertThat(audit("--event-id", "b-7")).isZero();
    assertThat(stdout().lines())
        .containsExactly(
            "2026-11-28T14:05:00Z suppressed route=engine events=b-7 to=ops@plant.example"
                + " server=relay message_id=<m2@plant.example> reason=\"grouped\"",
            "2026-11-29T14:05:30Z sent route=engine events=b-8,c-1 to=ops@plant.example"
                + " server=relay queue_id=D863060BD9 message_id=<m2@plant.example>"
                + " reply=\"250 Ok: queued as D863060BD9\"");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("1 line(s) were not JSON");
  }

  @Test
  void aStatusFilterKeepsTheMailThatCoveredAGroupedEvent() {
    assertThat(audit("--event-id", "b-7", "--status", "sent")).isZero();
    assertThat(stdout().lines())
        .hasSize(1)
        .allMatch(l -> l.startsWith("2026-11-29T14:05:30Z sent") && l.contains("D863060BD9"));
  }

  @Test
  void aQueueIdIsFoundInACompressedRotation() {
    assertThat(audit("--queue-id", "4F3X2Y", "--format", "json")).isZero();
    assertThat(stdout().strip())
        .startsWith("{\"time\":\"2026-11-27T09:00:00Z\"")
        .contains("\"a-1\"");
  }

  @Test
  void aMessageIdMatchesWithOrWithoutItsAngleBrackets() {
    assertThat(audit("--message-id", "m2@plant.example", "--status", "sent")).isZero();
    assertThat(stdout().lines()).hasSize(1).allMatch(l -> l.contains("queue_id=D863060BD9"));
  }

  @Test
  void timeBoundsNarrowTheSearchAndNothingFoundExitsOne() {
    assertThat(audit("--since", "2026-11-28", "--until", "2026-11-29")).isZero();
    assertThat(stdout().lines()).hasSize(1).allMatch(l -> l.contains("suppressed"));
    out.reset();
    assertThat(audit("--status", "invalid")).isEqualTo(1);
    assertThat(stdout()).isEmpty();
  }

  @Test
  void aBadTimeIsAUsageError() {
    assertThat(audit("--since", "yesterday")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since must be an instant");
  }
}

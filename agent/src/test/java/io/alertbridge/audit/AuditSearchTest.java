package io.alertbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches over a log and its rotations: what they find, and where a budget stops them. */
class AuditSearchTest {
  @TempDir Path dir;

  private static String line(String status, String eventId, String messageId, String queueId) {
    return ("{\"time\":\"2026-11-29T14:05:00Z\",\"status\":\"%s\",\"event_ids\":[\"%s\"],"
            + "\"message_id\":\"%s\",\"queue_id\":%s,\"reason\":null}")
        .formatted(status, eventId, messageId, queueId == null ? "null" : "\"" + queueId + "\"");
  }

  /** Three files, oldest (gzip) to newest, {@code n} filler lines each around the named ones. */
  private Path log(int n) throws Exception {
    Path oldest = dir.resolve("audit.jsonl.2.gz");
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(oldest))) {
      gz.write(filler("old", n, line("sent", "old-1", "<m0@x>", "Q0")).getBytes(UTF8));
    }
    Path older = dir.resolve("audit.jsonl.1");
    Files.writeString(older, filler("mid", n, line("suppressed", "b-7", "<m2@x>", null)));
    Path log = dir.resolve("audit.jsonl");
    Files.writeString(log, filler("new", n, line("sent", "b-8", "<m2@x>", "Q2")));
    Files.setLastModifiedTime(oldest, FileTime.from(Instant.parse("2026-11-27T00:00:00Z")));
    Files.setLastModifiedTime(older, FileTime.from(Instant.parse("2026-11-28T00:00:00Z")));
    return log;
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static String filler(String prefix, int n, String named) {
    StringBuilder b = new StringBuilder(named).append('\n');
    for (int i = 0; i < n; i++) {
      b.append(line("sent", prefix + "-" + i, "<" + prefix + i + "@x>", "F" + i)).append('\n');
    }
    return b.toString();
  }

  private static List<String> events(AuditSearch.Result r) {
    return r.matches().stream().map(m -> m.json().path("event_ids").get(0).asText()).toList();
  }

  @Test
  void aStatusFilterAppliesToTheMailThatCoveredAGroupedEvent() throws Exception {
    AuditSearch.Result r =
        AuditSearch.search(log(0), new AuditSearch.Query("b-7", null, null, "sent", null, null));

    assertThat(events(r)).containsExactly("b-8");
    assertThat(r.stoppedBy()).isNull();
  }

  @Test
  void anyIdFindsAnEventAndTheMailThatCoveredIt() throws Exception {
    AuditSearch.Result r = AuditSearch.search(log(10), AuditSearch.Query.anyId("b-7"));

    assertThat(events(r)).containsExactly("b-7", "b-8");
  }

  @Test
  void anyIdFindsAQueueIdInACompressedRotation() throws Exception {
    assertThat(events(AuditSearch.search(log(10), AuditSearch.Query.anyId("Q0"))))
        .containsExactly("old-1");
  }

  @Test
  void aSearchStopsAtItsLineLimit() throws Exception {
    AuditSearch.Result r =
        AuditSearch.search(
            log(50),
            new AuditSearch.Query(null, null, null, "sent", null, null),
            new AuditSearch.Budget(Duration.ofMinutes(1), Long.MAX_VALUE, 20),
            Clock.systemUTC());

    assertThat(r.matches()).hasSize(20);
    assertThat(r.stoppedBy()).isEqualTo("the limit of 20 lines");
  }

  @Test
  void aByteBudgetReadsTheNewestFilesFirst() throws Exception {
    Path log = log(1000);
    long newest = Files.size(log);

    AuditSearch.Result r =
        AuditSearch.search(
            log,
            AuditSearch.Query.anyId("Q2"),
            new AuditSearch.Budget(Duration.ofMinutes(1), newest + 10, 200),
            Clock.systemUTC());
    AuditSearch.Result old =
        AuditSearch.search(
            log,
            AuditSearch.Query.anyId("Q0"),
            new AuditSearch.Budget(Duration.ofMinutes(1), newest + 10, 200),
            Clock.systemUTC());

    assertThat(events(r)).containsExactly("b-8");
    assertThat(events(old)).isEmpty();
    assertThat(old.stoppedBy()).isEqualTo("the limit of " + (newest + 10) + " bytes read");
  }

  @Test
  void aSearchStopsWhenItsTimeIsUp() throws Exception {
    AuditSearch.Result r =
        AuditSearch.search(
            log(1000),
            AuditSearch.Query.anyId("Q0"),
            new AuditSearch.Budget(Duration.ofSeconds(5), Long.MAX_VALUE, 200),
            new Ticking(Duration.ofSeconds(1)));

    assertThat(events(r)).isEmpty();
    assertThat(r.stoppedBy()).isEqualTo("the time limit of 5 s");
  }

  @Test
  void linesWithoutTheIdAreNotParsedButTornOnesAreStillCounted() throws Exception {
    Path log = log(5);
    Files.writeString(
        log, "{\"time\":\"2026-11-29T14:06\n", java.nio.file.StandardOpenOption.APPEND);

    AuditSearch.Result r = AuditSearch.search(log, AuditSearch.Query.anyId("m2@x"));

    assertThat(events(r)).containsExactly("b-7", "b-8");
    assertThat(r.unreadable()).isEqualTo(1);
  }

  /** A clock that moves on by a step each time it is read: a slow disk, without waiting. */
  private static final class Ticking extends Clock {
    private final Duration step;
    private Instant now = Instant.parse("2026-11-29T15:00:00Z");

    Ticking(Duration step) {
      this.step = step;
    }

    @Override
    public Instant instant() {
      Instant t = now;
      now = now.plus(step);
      return t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}

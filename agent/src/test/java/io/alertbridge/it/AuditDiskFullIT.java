package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.audit.JsonLinesAuditLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the audit log on a 64 KiB tmpfs. A line that does not fit is not left half
 * written for the next one to be glued onto, and once there is room again the log goes on. Mounting
 * needs root (CI runs as root); elsewhere the test is skipped.
 */
class AuditDiskFullIT {
  @TempDir Path dir;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountTinyDisk() throws Exception {
    mount = dir.resolve("tiny");
    Files.createDirectories(mount);
    mounted = exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()) == 0;
    boolean ci = System.getenv("CI") != null;
    if (ci) {
      assertThat(mounted).as("CI runs as root and must be able to mount a tmpfs").isTrue();
    }
    assumeTrue(mounted, "mounting a tmpfs needs root");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      exec("umount", mount.toString());
    }
  }

  private static int exec(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static AuditRecord line(long offset) {
    return new AuditRecord(
        Instant.parse("2026-11-28T13:05:01Z"),
        AuditStatus.SENT,
        "event-" + offset,
        List.of(),
        "alerts",
        0,
        offset,
        "engine-critical",
        null,
        List.of("chief.engineer@plant.example", "duty.engineer@plant.example"),
        List.of(),
        "<m" + offset + "@plant.example>",
        "relay:25",
        250,
        "2.0.0",
        "Ok: queued as 4F3X2Y" + "A".repeat(200),
        "4F3X2Y",
        1,
        null);
  }

  @Test
  void aLineThatDoesNotFitLeavesNoHalfLineAndTheLogGoesOnOnceThereIsRoom() throws Exception {
    Path file = mount.resolve("audit.jsonl");
    Path filler = mount.resolve("filler");
    int written = 0;
    try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
      // Fill the disk up to a few hundred bytes, so the next line cannot fit whole.
      Files.write(filler, new byte[40 * 1024]);
      UncheckedIOException full = null;
      while (full == null) {
        try {
          log.append(line(written + 1));
          written++;
        } catch (UncheckedIOException e) {
          full = e;
        }
      }
      assertThat(full).hasStackTraceContaining("No space left on device");
      assertWholeLines(file, written);
      assertThatThrownBy(() -> log.append(line(1000))).isInstanceOf(UncheckedIOException.class);
      assertWholeLines(file, written);

      Files.delete(filler);
      log.append(line(written + 1));
      assertWholeLines(file, written + 1);
    }
  }

  private static void assertWholeLines(Path file, int expected) throws IOException {
    String text = Files.readString(file);
    assertThat(text).endsWith("\n");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(expected);
    ObjectMapper json = new ObjectMapper();
    for (String l : lines) {
      assertThat(json.readTree(l).get("status").asText()).isEqualTo("sent");
    }
  }
}

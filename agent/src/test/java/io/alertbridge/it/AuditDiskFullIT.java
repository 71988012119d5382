package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.audit.JsonLinesAuditLog;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full disk, for real: the audit log on a 64 KiB tmpfs. A line that does not fit is not left half
 * written for the next one to be glued onto, and once there is room again the log goes on; a daemon
 * whose audit disk is full keeps mailing, on the direct path and through the policy stage, without
 * sending a mail twice. Mounting needs root (CI runs as root); elsewhere the test is skipped.
 */
@ExtendWith(KafkaFixture.class)
class AuditDiskFullIT {
  private static final int ALERTS = 20;

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

  @ParameterizedTest(name = "{0} path")
  @EnumSource(DeliveryPath.class)
  void aDaemonWhoseAuditDiskIsFullKeepsMailingOnceEachAndAuditsAgainOnceThereIsRoom(
      DeliveryPath path, KafkaFixture.Broker kafka) throws Exception {
    List<String> before = new ArrayList<>();
    List<String> during = new ArrayList<>();
    List<String> repeats = new ArrayList<>();
    try (SmtpSink sink = SmtpSink.start();
        RunningDaemon d =
            RunningDaemon.start(kafka, mount, sink.port(), path.config(ConfigFixtures.VALID))) {
      Delivered.assertStillMails(kafka, d.topic, sink, List.of(d.auditFile), before);
      fillUp(mount.resolve("filler"));

      RunningDaemon.produceFresh(kafka, d.topic, "full", ALERTS, during);
      await().atMost(Duration.ofSeconds(120)).until(() -> sink.received().size() > ALERTS);
      // A second reading of each alert: mailed again on the direct path; a repeat on the policy
      // path, whose "suppressed" line the policy stage fails to write.
      List<ProducerRecord<byte[], byte[]>> again = new ArrayList<>();
      for (String id : during) {
        repeats.add(id + "-again");
        again.add(
            new ProducerRecord<>(
                d.topic, Events.reading(id + "-again", id).getBytes(StandardCharsets.UTF_8)));
      }
      RunningDaemon.produce(kafka, again);
      new Settled(kafka).awaitSettled(path, d.topic, d.group, Duration.ofSeconds(120));
      assertThat(d.isRunning()).as("the daemon survives a full audit disk").isTrue();

      Delivered delivered = new Delivered(sink.received());
      List<String> mailed = new ArrayList<>(during);
      if (path == DeliveryPath.DIRECT) {
        mailed.addAll(repeats);
      }
      delivered.assertEveryEventMailedWithOneMessageId(mailed);
      assertThat(delivered.duplicates())
          .as("no mail sent again for want of an audit line")
          .isZero();
      List<JsonNode> full = Delivered.wholeLines(List.of(d.auditFile));
      assertThat(full.stream().map(l -> l.get("event_id").asText()))
          .as("the disk was full: some lines could not be written")
          .doesNotContainAnyElementsOf(during.subList(ALERTS - 1, ALERTS));

      Files.delete(mount.resolve("filler"));
      List<String> after = new ArrayList<>();
      Delivered.assertStillMails(kafka, d.topic, sink, List.of(d.auditFile), after);
      new Delivered(sink.received())
          .assertAudited(Delivered.wholeLines(List.of(d.auditFile)), concat(before, after));
    }
  }

  /** Writes until the tmpfs says "No space left on device". */
  private static void fillUp(Path filler) {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      assertThat(e).hasMessageContaining("No space left on device");
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

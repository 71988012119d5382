package io.alertbridge.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as CI runs it: once, each test reads what it left. */
class DemoIT {
  @TempDir static Path out;
  private static int exit;

  @BeforeAll
  static void runTheDemo() {
    exit = DemoCommand.execute("--config", "../config/alertbridge.yaml", "--out", out.toString());
  }

  @Test
  void demoDeliversEveryEventAndExitsZero() throws Exception {
    assertThat(exit).isZero();
    try (var mails = Files.list(out.resolve("mail"))) {
      assertThat(mails.toList()).hasSize(7);
    }
    List<String> audit = Files.readAllLines(out.resolve("audit.jsonl"));
    // The shipped engine-oncall list has two addresses, each gets the group's mails: 2 firing and
    // 2 resolved; the normal reading, the bilge pump and the PLC alert one mail each. The silence
    // is a line, and so is each of the 2 grouped, the silenced and the inhibited readings.
    assertThat(audit).hasSize(13);
    assertThat(audit)
        .filteredOn(l -> l.contains("\"status\":\"sent\""))
        .hasSize(7)
        .allMatch(l -> l.matches(".*\"queue_id\":\"[0-9A-F]{10}\".*"));
    assertThat(audit).filteredOn(l -> l.contains("\"status\":\"invalid\"")).hasSize(1);
    // The two earlier T3 readings went into the group mail that carries the latest one.
    assertThat(audit)
        .filteredOn(l -> l.contains("\"reason\":\"grouped\""))
        .hasSize(2)
        .allMatch(l -> l.contains("\"status\":\"suppressed\""));
    // Each recipient's resolve mail replies in the thread of the group's first mail to it.
    List<String> mails = Files.list(out.resolve("mail")).map(DemoIT::read).toList();
    List<String> resolves =
        mails.stream().filter(m -> m.contains("Subject: [RESOLVED] overtemp ship-1")).toList();
    assertThat(resolves).hasSize(2);
    for (String resolve : resolves) {
      String to = resolve.replaceAll("(?s).*\nTo: ([^\r\n]+).*", "$1");
      String first =
          mails.stream()
              .filter(m -> m.contains("Subject: [FIRING:2] overtemp ship-1"))
              .filter(m -> m.contains("\nTo: " + to))
              .findFirst()
              .orElseThrow();
      String firstId = first.replaceAll("(?s).*Message-ID: (<[^>]+>).*", "$1");
      assertThat(resolve).contains("In-Reply-To: " + firstId);
    }
    assertThat(ourThreads()).as("threads the demo left running").isEmpty();
  }

  @Test
  void demoSilencesT7ThroughTheApiAndInhibitsShip2BehindItsPlc() throws Exception {
    assertThat(exit).isZero();
    assertThat(Files.getPosixFilePermissions(out.resolve("http-tokens")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<JsonNode> audit =
        Files.readAllLines(out.resolve("audit.jsonl")).stream().map(DemoIT::json).toList();
    // The silence the demo posted, as amtool would, with the token holder as its author.
    List<JsonNode> added = withStatus(audit, "silence-added");
    assertThat(added).hasSize(1);
    JsonNode silence = added.get(0).path("silence");
    assertThat(silence.path("matchers").toString()).isEqualTo("[\"labels.sensor=\\\"T7\\\"\"]");
    assertThat(silence.path("created_by").asText()).isEqualTo("demo");
    assertThat(silence.path("comment").asText()).isEqualTo("T7 is being replaced");
    String id = silence.path("id").asText();

    List<JsonNode> silenced = withReason(audit, "silenced");
    assertThat(silenced).hasSize(1);
    assertThat(silenced.get(0).path("status").asText()).isEqualTo("suppressed");
    assertThat(silenced.get(0).path("event_id").asText()).isEqualTo("3c9d41a7-t7-0001");
    assertThat(silenced.get(0).path("cause").asText()).isEqualTo(id);

    List<JsonNode> inhibited = withReason(audit, "inhibited");
    assertThat(inhibited).hasSize(1);
    assertThat(inhibited.get(0).path("status").asText()).isEqualTo("suppressed");
    assertThat(inhibited.get(0).path("event_id").asText()).isEqualTo("e81b5d02-t2-0001");
    assertThat(inhibited.get(0).path("cause").asText()).isEqualTo(DemoEvents.plcFingerprint());

    // The PLC alert is mailed; its symptom and the silenced reading are not.
    List<String> mails = Files.list(out.resolve("mail")).map(DemoIT::read).toList();
    assertThat(mails)
        .filteredOn(m -> m.contains("Subject: [FIRING:1] CRITICAL plc-comms-lost from"))
        .hasSize(1);
    assertThat(mails)
        .noneMatch(m -> m.contains("3c9d41a7-t7-0001") || m.contains("Overtemp at T7"));
    assertThat(mails)
        .noneMatch(m -> m.contains("e81b5d02-t2-0001") || m.contains("overtemp ship-2"));
  }

  private static List<JsonNode> withStatus(List<JsonNode> audit, String status) {
    return audit.stream().filter(l -> status.equals(l.path("status").asText())).toList();
  }

  private static List<JsonNode> withReason(List<JsonNode> audit, String reason) {
    return audit.stream().filter(l -> reason.equals(l.path("reason").asText())).toList();
  }

  private static JsonNode json(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The daemon's threads and the SMTP sink's; the broker's own belong to Kafka. */
  private static List<String> ourThreads() throws InterruptedException {
    List<String> left = List.of();
    for (int i = 0; i < 50; i++) {
      left =
          Thread.getAllStackTraces().keySet().stream()
              .filter(Thread::isAlive)
              .map(Thread::getName)
              .filter(n -> n.startsWith("alertbridge-") || n.startsWith("smtp-sink"))
              .toList();
      if (left.isEmpty()) {
        return left;
      }
      Thread.sleep(100);
    }
    return left;
  }
}

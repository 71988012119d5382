package io.alertbridge.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as CI runs it: once, each test reads what it left. */
class DemoIT {
  @TempDir static Path out;
  private static int exit;

  /** What the demo printed on stdout (its log goes to stderr). */
  private static String printed;

  private static long seconds;

  @BeforeAll
  static void runTheDemo() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new TeeOutputStream(stdout, copy), true, StandardCharsets.UTF_8));
    long start = System.nanoTime();
    try {
      exit = DemoCommand.execute("--config", "../config/alertbridge.yaml", "--out", out.toString());
    } finally {
      System.setOut(stdout);
    }
    seconds = (System.nanoTime() - start) / 1_000_000_000;
    printed = copy.toString(StandardCharsets.UTF_8);
    stdout.printf("The demo ran %d s.%n", seconds);
  }

  @Test
  void demoDeliversEveryEventAndExitsZero() throws Exception {
    assertThat(exit).isZero();
    try (var mails = Files.list(out.resolve("mail"))) {
      assertThat(mails.toList()).hasSize(15);
    }
    List<String> audit = Files.readAllLines(out.resolve("audit.jsonl"));
    // The shipped engine-oncall list has two addresses, each gets the group's mails: 2 firing and
    // 2 resolved; the normal reading, the bilge pump and the PLC alert one mail each. The silence
    // is a line, and so is each of the 2 grouped, the silenced and the inhibited readings. Then
    // ship-3's and ship-4's alerts, 2 mails each; 2 confirmations of the acknowledgement, 1
    // escalation and 1 on-bounce mail; and the acknowledged and the bounced line.
    assertThat(audit).hasSize(23);
    assertThat(audit)
        .filteredOn(l -> l.contains("\"status\":\"sent\""))
        .hasSize(15)
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
    assertThat(printed.strip()).endsWith("Demo OK.");
  }

  @Test
  void demoAcknowledgesByReplyEscalatesTheUnansweredAlertAndTracesABounceToItsEvent()
      throws Exception {
    assertThat(exit).isZero();
    assertThat(Files.getPosixFilePermissions(out.resolve("inbound.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    List<JsonNode> audit =
        Files.readAllLines(out.resolve("audit.jsonl")).stream().map(DemoIT::json).toList();

    // The scripted reply: acknowledged once, and each engineer of ship-3's mail is told.
    List<JsonNode> acked = withStatus(audit, "acknowledged");
    assertThat(acked).hasSize(1);
    assertThat(acked.get(0).path("ack").path("by").asText())
        .isEqualTo("chief.engineer@plant.example");
    assertThat(acked.get(0).path("ack").path("channel").asText()).isEqualTo("reply");
    for (String engineer : List.of("chief.engineer", "duty.engineer")) {
      assertThat(printed)
          .containsPattern(
              "confirmation to "
                  + engineer
                  + "@plant.example: Acknowledged by chief.engineer@plant.example at .* UTC by"
                  + " reply\\.");
    }

    // Ship-4's alert, unanswered, escalates to whoever is on watch; the acknowledged one does not.
    Matcher escalation =
        Pattern.compile(
                "Nobody answered ship-4's mail: 10s later the route's escalation step mails"
                    + " (\\w+\\.officer@plant\\.example):\\R  \\[ESCALATED] \\[FIRING:1] overtemp ship-4\\R"
                    + "    Escalated \\(step 1 of 1\\)")
            .matcher(printed);
    assertThat(escalation.find()).as("the escalation in:%n%s", printed).isTrue();
    List<String> mails = Files.list(out.resolve("mail")).map(DemoIT::read).toList();
    assertThat(mails).filteredOn(m -> m.contains("Subject: [ESCALATED]")).hasSize(1);
    assertThat(mails).noneMatch(m -> m.matches("(?s).*Subject: \\[ESCALATED][^\\n]*ship-3.*"));

    // The PLC alert's mail bounced: the line names its queue ID, event and the fallback told.
    JsonNode sent =
        withStatus(audit, "sent").stream()
            .filter(l -> l.path("event_ids").toString().contains(DemoEvents.PLC_ID))
            .findFirst()
            .orElseThrow();
    String queueId = sent.path("queue_id").asText();
    List<JsonNode> bounced = withStatus(audit, "bounced");
    assertThat(bounced).hasSize(1);
    assertThat(bounced.get(0).path("queue_id").asText()).isEqualTo(queueId);
    assertThat(bounced.get(0).path("message_id").asText())
        .isEqualTo(sent.path("message_id").asText());
    assertThat(bounced.get(0).path("event_ids").toString()).contains(DemoEvents.PLC_ID);
    assertThat(bounced.get(0).path("enhanced_status").asText()).isEqualTo("5.1.1");
    assertThat(printed)
        .contains(
            "event "
                + DemoEvents.PLC_ID
                + ": queued as "
                + queueId
                + " for ops@plant.example, bounced later: 5.1.1 <ops@plant.example>: Recipient"
                + " address rejected: User unknown");
    assertThat(printed)
        .containsPattern(
            "on-bounce: \"\\[UNREACHABLE] \\[FIRING:1] CRITICAL plc-comms-lost from control-room/plc-2\" mailed"
                + " to \\w+\\.officer@plant\\.example");
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

  /** Writes to both: the demo's output stays visible while the test keeps a copy. */
  private static final class TeeOutputStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeOutputStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
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

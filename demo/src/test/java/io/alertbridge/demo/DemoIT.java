package io.alertbridge.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as CI runs it. */
class DemoIT {
  @Test
  void demoDeliversEveryEventAndExitsZero(@TempDir Path out) throws Exception {
    int exit =
        DemoCommand.execute("--config", "../config/alertbridge.yaml", "--out", out.toString());
    assertThat(exit).isZero();
    try (var mails = Files.list(out.resolve("mail"))) {
      assertThat(mails.toList()).hasSize(6);
    }
    List<String> audit = Files.readAllLines(out.resolve("audit.jsonl"));
    // The shipped engine-oncall list has two addresses, each gets the group's mails: 2 firing and
    // 2 resolved, and the two other events one mail each.
    assertThat(audit).hasSize(9);
    assertThat(audit)
        .filteredOn(l -> l.contains("\"status\":\"sent\""))
        .hasSize(6)
        .allMatch(l -> l.matches(".*\"queue_id\":\"[0-9A-F]{10}\".*"));
    assertThat(audit).filteredOn(l -> l.contains("\"status\":\"invalid\"")).hasSize(1);
    // The two earlier T3 readings went into the group mail that carries the latest one.
    assertThat(audit)
        .filteredOn(l -> l.contains("\"status\":\"suppressed\""))
        .hasSize(2)
        .allMatch(l -> l.contains("\"reason\":\"grouped\""));
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

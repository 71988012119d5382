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
      assertThat(mails.toList()).hasSize(4);
    }
    List<String> audit = Files.readAllLines(out.resolve("audit.jsonl"));
    assertThat(audit).hasSize(5);
    assertThat(audit)
        .filteredOn(l -> l.contains("\"status\":\"sent\""))
        .hasSize(4)
        .allMatch(l -> l.matches(".*\"queue_id\":\"[0-9A-F]{10}\".*"));
    assertThat(audit).filteredOn(l -> l.contains("\"status\":\"invalid\"")).hasSize(1);
  }
}

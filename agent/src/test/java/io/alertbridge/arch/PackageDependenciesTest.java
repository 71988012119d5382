package io.alertbridge.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps data flowing one way: Kafka record → event → route → rendered mail → SMTP → audit. Reads
 * the imports of the main sources and checks each package against the graph drawn in
 * docs/architecture.md.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/io/alertbridge");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?io\\.alertbridge\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** Which packages each package may import; a package not listed may import none. */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("mailbox", Set.of()),
          Map.entry("event", Set.of()),
          Map.entry("audit", Set.of()),
          Map.entry("smtp", Set.of("mailbox")),
          Map.entry("silence", Set.of()),
          Map.entry("ack", Set.of()),
          Map.entry("rota", Set.of()),
          Map.entry("inbound", Set.of()),
          Map.entry("config", Set.of("mailbox", "smtp", "audit", "silence", "rota")),
          Map.entry("route", Set.of("config", "event", "rota")),
          Map.entry("render", Set.of("config", "event", "route", "smtp")),
          Map.entry("delivery", Set.of("audit", "config", "event", "render", "route", "smtp")),
          Map.entry("kafka", Set.of("config", "delivery")),
          Map.entry(
              "policy",
              Set.of(
                  "ack",
                  "audit",
                  "config",
                  "delivery",
                  "event",
                  "kafka",
                  "render",
                  "route",
                  "silence",
                  "smtp")),
          Map.entry("metrics", Set.of("delivery", "kafka", "smtp", "audit", "policy", "imap")),
          Map.entry("web", Set.of("silence", "ack")),
          Map.entry("address", Set.of("mailbox", "smtp")),
          Map.entry("relay", Set.of("address", "mailbox", "smtp")),
          Map.entry("imap", Set.of("config", "smtp")),
          Map.entry(
              "daemon",
              Set.of(
                  "ack",
                  "audit",
                  "config",
                  "delivery",
                  "event",
                  "imap",
                  "inbound",
                  "kafka",
                  "metrics",
                  "policy",
                  "render",
                  "route",
                  "silence",
                  "smtp",
                  "web")),
          Map.entry(
              "cli",
              Set.of(
                  "address",
                  "audit",
                  "config",
                  "daemon",
                  "delivery",
                  "event",
                  "kafka",
                  "mailbox",
                  "policy",
                  "relay",
                  "render",
                  "rota",
                  "route",
                  "silence",
                  "smtp")));

  @Test
  void everyPackageImportsOnlyWhatTheGraphAllows() throws IOException {
    Map<String, Set<String>> actual = imports();
    assertThat(actual.keySet())
        .as("packages; add a new one to ALLOWED")
        .isSubsetOf(ALLOWED.keySet());
    actual.forEach(
        (pkg, deps) ->
            assertThat(deps).as("packages imported by " + pkg).isSubsetOf(ALLOWED.get(pkg)));
  }

  @Test
  void theAllowedGraphHasNoCycle() {
    for (String start : ALLOWED.keySet()) {
      assertThat(reachable(start)).as("packages reachable from " + start).doesNotContain(start);
    }
  }

  @Test
  void theDaemonNeverLoadsTheEmbeddedBrokerOrTheDemo() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        assertThat(Files.readString(f))
            .as(f.toString())
            .doesNotContain("io.alertbridge.embedded", "io.alertbridge.demo", "kafka.server");
      }
    }
  }

  private static Set<String> reachable(String from) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(ALLOWED.getOrDefault(from, Set.of()));
    while (!todo.isEmpty()) {
      String p = todo.pop();
      if (seen.add(p)) {
        todo.addAll(ALLOWED.getOrDefault(p, Set.of()));
      }
    }
    return seen;
  }

  private static Map<String, Set<String>> imports() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String pkg = dir.getFileName().toString();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            Matcher m = IMPORT.matcher(Files.readString(f));
            while (m.find()) {
              used.add(m.group(1));
            }
          }
        }
        used.remove(pkg);
        deps.put(pkg, used);
      }
    }
    assertThat(deps).as("packages found under " + SOURCES).hasSizeGreaterThan(5);
    return deps;
  }
}

package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code amtool} (package prometheus-alertmanager), the real binary, against the silence
 * API: what people already type must work unchanged, with the token in amtool's own {@code
 * --http.config.file}. Skipped where amtool is not installed, except on CI.
 */
class AmtoolCompatTest {
  private static final Path AMTOOL = Path.of("/usr/bin/amtool");

  @TempDir Path dir;
  private OperatorServer op;

  /** What a run of amtool printed, and how it ended. */
  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    if (!Files.isExecutable(AMTOOL)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have /usr/bin/amtool");
      Assumptions.abort("needs apt-get install prometheus-alertmanager (for amtool)");
    }
    op = new OperatorServer(true);
  }

  @AfterEach
  void close() {
    if (op != null) {
      op.close();
    }
  }

  private Path httpConfig(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  private Run amtool(Path httpConfig, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(AMTOOL.toString());
    command.add("--alertmanager.url=http://127.0.0.1:" + op.page().getPort());
    if (httpConfig != null) {
      command.add("--http.config.file=" + httpConfig);
    }
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // amtool reads $HOME/.config/amtool/config.yml: keep the developer's own out of the test.
    pb.environment().put("HOME", dir.toString());
    pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("amtool finished").isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  @Test
  void amtoolAddsQueriesAndExpiresASilenceWithABearerToken() throws Exception {
    Path alice =
        httpConfig("alice.yml", "authorization:\n  credentials: " + OperatorServer.ALICE + "\n");
    Path bob = httpConfig("bob.yml", "bearer_token: " + OperatorServer.BOB + "\n");

    Run add =
        amtool(
            alice,
            "silence",
            "add",
            "alertname=Overtemp",
            "sensor=T3",
            "site=~north|south",
            "--duration=2h",
            "--author=whoever",
            "--comment=T3 is being replaced");

    assertThat(add.exit()).as(add.err()).isZero();
    String id = add.out().strip();
    Silence s = op.store.get(id).orElseThrow();
    assertThat(s.matchers())
        .containsExactlyInAnyOrder(
            Matcher.parse("type=Overtemp"),
            Matcher.parse("labels.sensor=T3"),
            Matcher.parse("labels.site=~\"north|south\""));
    assertThat(s.createdBy()).isEqualTo("alice");
    assertThat(s.comment()).isEqualTo("T3 is being replaced");
    assertThat(Duration.between(s.startsAt(), s.endsAt())).isEqualTo(Duration.ofHours(2));

    Run query = amtool(null, "silence", "query");
    Run quiet = amtool(null, "silence", "query", "-q", "sensor=T3");
    Run other = amtool(null, "silence", "query", "-q", "sensor=T4");

    assertThat(query.exit()).as(query.err()).isZero();
    assertThat(query.out())
        .contains(id)
        .contains("alertname=\"Overtemp\"")
        .contains("sensor=\"T3\"")
        .contains("site=~\"north|south\"")
        .contains("alice")
        .contains("T3 is being replaced");
    assertThat(quiet.out().strip()).isEqualTo(id);
    assertThat(other.out().strip()).isEmpty();

    Run expire = amtool(bob, "silence", "expire", id);

    assertThat(expire.exit()).as(expire.err()).isZero();
    assertThat(op.store.get(id).orElseThrow().state(Instant.now()))
        .isEqualTo(Silence.State.EXPIRED);
    assertThat(op.log.lines())
        .containsExactly("added " + id + " by alice", "expired " + id + " by bob");
    assertThat(amtool(null, "silence", "query", "-q").out().strip()).isEmpty();
    assertThat(amtool(null, "silence", "query", "-q", "--expired").out().strip()).isEqualTo(id);
  }

  @Test
  void amtoolWithoutOrWithAWrongTokenChangesNothing() throws Exception {
    Path wrong = httpConfig("wrong.yml", "authorization:\n  credentials: not-a-token\n");

    Run anonymous = amtool(null, "silence", "add", "sensor=T3", "--comment=x");
    Run guessed = amtool(wrong, "silence", "add", "sensor=T3", "--comment=x");

    assertThat(anonymous.exit()).isNotZero();
    assertThat(guessed.exit()).isNotZero();
    // amtool knows no 401 in the swagger spec: it reports the bare status, as behind any auth
    // proxy.
    assertThat(anonymous.err()).contains("(status 401)");
    assertThat(guessed.err()).contains("(status 401)");
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void amtoolSeesTheReasonWhenASilenceWouldMatchEverything() throws Exception {
    Path alice =
        httpConfig("alice.yml", "authorization:\n  credentials: " + OperatorServer.ALICE + "\n");

    Run add = amtool(alice, "silence", "add", "sensor=~.*", "--comment=everything");

    assertThat(add.exit()).isNotZero();
    assertThat(add.err()).contains("would match every alert");
    assertThat(op.store.all()).isEmpty();
  }
}

package io.alertbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSubstitutorTest {
  private final EnvSubstitutor env =
      new EnvSubstitutor(Map.of("HOST", "mx.example", "EMPTY", "", "PORT", "25"));

  @Test
  void replacesVariablesAnywhereInAValue() throws Exception {
    assertThat(env.substitute("${HOST}:${PORT}", "k")).isEqualTo("mx.example:25");
  }

  @Test
  void usesTheDefaultWhenUnsetOrEmpty() throws Exception {
    assertThat(env.substitute("${NOPE:-fallback}", "k")).isEqualTo("fallback");
    assertThat(env.substitute("${EMPTY:-fallback}", "k")).isEqualTo("fallback");
    assertThat(env.substitute("${NOPE:-}", "k")).isEmpty();
  }

  @Test
  void keepsAnEmptyValueWhenNoDefaultIsGiven() throws Exception {
    assertThat(env.substitute("${EMPTY}", "k")).isEmpty();
  }

  @Test
  void doubleDollarEscapesAReference() throws Exception {
    assertThat(env.substitute("$${HOST}", "k")).isEqualTo("${HOST}");
  }

  @Test
  void readsSecretFilesWithoutTheirTrailingNewline(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "s3cret: #not a comment\n");
    assertThat(env.substitute("${file:" + secret + "}", "smtp.password"))
        .isEqualTo("s3cret: #not a comment");
  }

  @Test
  void missingSecretFileNamesThePathButNoContent() {
    assertThatThrownBy(() -> env.substitute("${file:/nonexistent/pw}", "smtp.password"))
        .hasMessageStartingWith("smtp.password: the file must exist and be readable");
  }

  @Test
  void unterminatedReferenceIsAnError() {
    assertThatThrownBy(() -> env.substitute("${HOST", "k"))
        .hasMessage("k: has an unterminated or malformed ${...} reference (found: \"${HOST\")");
  }
}

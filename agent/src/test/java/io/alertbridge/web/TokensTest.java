package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
  private static final String ALICE = "tok-alice-4f9d2c1b8e7a6350";
  private static final String BOB = "tok-bob-9a8b7c6d5e4f3a2b";

  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path f = dir.resolve("tokens");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void namesTheHolderOfABearerTokenIgnoringCommentsAndBlankLines() throws Exception {
    Tokens t = Tokens.load(file("# on-call\n\nalice:" + ALICE + "\n  # ops\nbob: " + BOB + " \n"));

    assertThat(t.size()).isEqualTo(2);
    assertThat(t.author("Bearer " + ALICE)).contains("alice");
    assertThat(t.author("bearer " + BOB)).contains("bob");
  }

  @Test
  void aTokenThatIsNotExactlyOneOnFileNamesNobody() {
    Tokens t = Tokens.of(Map.of("alice", ALICE, "bob", BOB));

    // A prefix, an extension, a one-character change: the comparison is of whole hashes.
    assertThat(t.author("Bearer " + ALICE.substring(0, ALICE.length() - 1))).isEmpty();
    assertThat(t.author("Bearer " + ALICE + "0")).isEmpty();
    assertThat(t.author("Bearer " + ALICE.replace('4', '5'))).isEmpty();
    assertThat(t.author("Basic " + ALICE)).isEmpty();
    assertThat(t.author(ALICE)).isEmpty();
    assertThat(t.author("Bearer ")).isEmpty();
    assertThat(t.author(null)).isEmpty();
    assertThat(t.holderOf("")).isEmpty();
  }

  @Test
  void everyTokenOnFileIsFoundWhereverItStands() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      many.append("user").append(i).append(":token-").append(i).append("-xxxxxxxx\n");
    }
    Map<String, Optional<String>> found =
        Map.of(
            "first", tokens(many).holderOf("token-0-xxxxxxxx"),
            "last", tokens(many).holderOf("token-49-xxxxxxxx"));

    assertThat(found.get("first")).contains("user0");
    assertThat(found.get("last")).contains("user49");
  }

  private Tokens tokens(CharSequence text) {
    try {
      return Tokens.load(file(text.toString()));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMalformedLineIsNamedByItsNumberNeverByItsContent() throws Exception {
    Path f = file("alice:" + ALICE + "\n" + BOB + "\n");

    assertThatThrownBy(() -> Tokens.load(f))
        .isInstanceOf(IOException.class)
        .hasMessage(f + " line 2: not name:token (a name, a colon, a token)")
        .hasMessageNotContaining(BOB);
  }

  @Test
  void aTokenWithoutAHolderOrAReusedNameIsRefused() throws Exception {
    Path noName = file(":" + ALICE + "\n");
    assertThatThrownBy(() -> Tokens.load(noName)).hasMessageContaining("line 1:");

    Path empty = file("alice:\n");
    assertThatThrownBy(() -> Tokens.load(empty)).hasMessageContaining("line 1:");

    Path twice = file("alice:" + ALICE + "\n\nalice:" + BOB + "\n");
    assertThatThrownBy(() -> Tokens.load(twice))
        .hasMessage(twice + " line 3: the name alice is already used on line 1")
        .hasMessageNotContaining(BOB);

    Path spaced = file("al ice:" + ALICE + "\n");
    assertThatThrownBy(() -> Tokens.load(spaced))
        .hasMessageContaining("line 1: a name is")
        .hasMessageNotContaining(ALICE);
  }

  @Test
  void aReloadSwapsTheWholeSetForNewRequests() throws Exception {
    Tokens live = Tokens.load(file("alice:" + ALICE + "\n"));

    live.replaceWith(Tokens.load(file("bob:" + BOB + "\n")));

    assertThat(live.author("Bearer " + ALICE)).isEmpty();
    assertThat(live.author("Bearer " + BOB)).contains("bob");
  }

  @Test
  void aBrokenFileOnReloadLeavesTheTokensInForce() throws Exception {
    Tokens live = Tokens.load(file("alice:" + ALICE + "\n"));

    assertThatThrownBy(() -> live.replaceWith(Tokens.load(file("garbage\n"))))
        .isInstanceOf(IOException.class);

    assertThat(live.author("Bearer " + ALICE)).contains("alice");
  }

  @Test
  void itsTextNamesHoldersButNoToken() {
    assertThat(Tokens.of(Map.of("alice", ALICE)).toString())
        .isEqualTo("Tokens[alice]")
        .doesNotContain(ALICE);
  }
}

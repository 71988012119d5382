package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The first line of a reply as a table: what people type, and what it means. */
class CommandReaderTest {
  private static final Command ACK = new Command.Ack(Optional.empty());

  private static Arguments ack(String text, Duration ttl) {
    return Arguments.of(text, new Command.Ack(Optional.of(ttl)));
  }

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("ack", ACK),
        Arguments.of("ACK", ACK),
        Arguments.of("Ack.", ACK),
        Arguments.of("ack!  ", ACK),
        Arguments.of("  ack ,;:", ACK),
        Arguments.of("\u00a0\u200back", ACK),
        Arguments.of("\n\n   \nack\nthanks", ACK),
        Arguments.of("unack", new Command.Unack()),
        Arguments.of("UNACK.", new Command.Unack()),
        ack("ack 2h", Duration.ofHours(2)),
        ack("ack 30m", Duration.ofMinutes(30)),
        ack("ack 1d", Duration.ofDays(1)),
        ack("ack 45s", Duration.ofSeconds(45)),
        ack("ACK 2H.", Duration.ofHours(2)),
        ack("ack 2 h", Duration.ofHours(2)),
        ack("ack\t90m", Duration.ofMinutes(90)),
        ack("ack\u00a02h\u00a0", Duration.ofHours(2)),
        Arguments.of("\u200e\u200fack\u2060", ACK));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void readsTheCommandOfTheFirstLine(String text, Command expected) {
    assertThat(CommandReader.read(text)).contains(expected);
  }

  @Test
  void skipsQuotedLinesAboveTheCommand() {
    assertThat(CommandReader.read("> [CRITICAL] pressure low\n>\n\nack 1h\n"))
        .contains(new Command.Ack(Optional.of(Duration.ofHours(1))));
  }

  @Test
  void readsALongFirstLineAsNoCommandInLinearTime() {
    String line = "ack" + " .".repeat(30_000) + "x";
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> assertThat(CommandReader.read(line)).isEmpty());
  }

  @Test
  void findsTheCommandBelowAQuoteOfAnyLength() {
    assertThat(CommandReader.read("> quoted\n".repeat(5000) + "unack"))
        .contains(new Command.Unack());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n  \n",
        "acknowledged",
        "ack, on my way",
        "I ack this",
        "ack 2w",
        "ack 2",
        "ack 0m",
        "ack -2h",
        "ack 1234567h",
        "nack",
        "On Tue, Dec 1, 2026 at 3:12 AM alertbridge <alerts@x> wrote:\n> ack\nack",
        "-----Original Message-----\nack",
        "________________________________\nFrom: alertbridge\nack",
        "From: alertbridge <alerts@x>\nSent: Tuesday\n\nack",
        "Sent from my iPhone\n\nack",
        "-- \nack",
        "> ack\n> unack"
      })
  void findsNoCommandWhenTheFirstOwnLineIsNotOne(String text) {
    assertThat(CommandReader.read(text)).isEmpty();
  }
}

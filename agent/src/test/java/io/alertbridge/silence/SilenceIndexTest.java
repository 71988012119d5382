package io.alertbridge.silence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilenceIndexTest {
  static final Instant NOW = Instant.parse("2026-12-01T20:00:00Z");
  private static final String[] NAMES = {
    "source", "type", "severity", "labels.sensor", "labels.site", "labels.room"
  };

  /** A value from a small alphabet, so silences and alerts often meet; sometimes empty. */
  private static String value(Random r) {
    return r.nextInt(8) == 0 ? "" : "v" + r.nextInt(4);
  }

  static Silence randomSilence(Random r, int i) {
    List<Matcher> ms = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      Matcher.Op op = Matcher.Op.values()[r.nextInt(4)];
      String v = op.regex() ? (r.nextBoolean() ? "v[01]" : "v.*|") : value(r);
      ms.add(Matcher.of(NAMES[r.nextInt(NAMES.length)], op, v));
    }
    Instant start = NOW.plusSeconds(r.nextInt(7200) - 3600);
    Instant end = start.plusSeconds(1 + r.nextInt(7200));
    return new Silence("s" + i, ms, start, end, "anna", "c", false, start);
  }

  static AlertFields randomAlert(Random r) {
    Map<String, String> labels = new HashMap<>();
    for (String l : new String[] {"sensor", "site", "room"}) {
      labels.put(l, value(r));
    }
    return AlertFields.of(value(r), value(r), value(r), labels);
  }

  private static Optional<Silence> bruteForce(List<Silence> all, AlertFields a, Instant at) {
    return all.stream()
        .filter(s -> s.activeAt(at) && s.matches(a))
        .max(Comparator.comparing(Silence::endsAt).thenComparing(Silence::id));
  }

  @Test
  void findsWhatABruteForceScanFindsOnRandomSilencesAndAlerts() {
    Random r = new Random(17);
    int silenced = 0;
    for (int round = 0; round < 50; round++) {
      List<Silence> silences = new ArrayList<>();
      int n = 1 + r.nextInt(200);
      for (int i = 0; i < n; i++) {
        silences.add(randomSilence(r, i));
      }
      SilenceIndex index = SilenceIndex.of(silences);
      for (int k = 0; k < 200; k++) {
        AlertFields a = randomAlert(r);
        Instant at = NOW.plusSeconds(r.nextInt(7200) - 3600);
        Optional<Silence> expected = bruteForce(silences, a, at);
        assertThat(index.silencing(a, at))
            .as("round %d alert %s at %s", round, a, at)
            .isEqualTo(expected);
        silenced += expected.isPresent() ? 1 : 0;
      }
    }
    // Both outcomes are common, so the comparison tested both.
    assertThat(silenced).isBetween(1000, 9000);
  }

  @Test
  void ofTwoActiveSilencesTheOneEndingLastWins() {
    List<Matcher> t3 = List.of(Matcher.parse("labels.sensor=T3"));
    Silence early = new Silence("a", t3, NOW, NOW.plusSeconds(60), "anna", "c", false, NOW);
    Silence late = new Silence("b", t3, NOW, NOW.plusSeconds(600), "anna", "c", false, NOW);
    AlertFields alert = AlertFields.of("plc-3", "overtemp", "critical", Map.of("sensor", "T3"));
    assertThat(SilenceIndex.of(List.of(late, early)).silencing(alert, NOW)).contains(late);
    assertThat(SilenceIndex.of(List.of(late, early)).silencing(alert, NOW.plusSeconds(600)))
        .isEmpty();
  }

  @Test
  void silencesWithAnEqualityMatcherAreNotScannedForEveryAlert() {
    List<Silence> silences = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      silences.add(
          new Silence(
              "s" + i,
              List.of(Matcher.parse("labels.sensor=T" + i), Matcher.parse("severity=~crit.*")),
              NOW,
              NOW.plusSeconds(3600),
              "anna",
              "c",
              false,
              NOW));
    }
    silences.add(
        new Silence(
            "regex",
            List.of(Matcher.parse("type=~\"over.*\"")),
            NOW,
            NOW.plusSeconds(60),
            "anna",
            "c",
            false,
            NOW));
    SilenceIndex index = SilenceIndex.of(silences);
    assertThat(index.size()).isEqualTo(1001);
    assertThat(index.scanned()).isEqualTo(1);
    AlertFields t7 = AlertFields.of("plc", "overtemp", "critical", Map.of("sensor", "T7"));
    assertThat(index.silencing(t7, NOW).map(Silence::id)).contains("s7");
  }
}

package io.alertbridge.silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one alert's look-up costs among 1,000 active silences, each of one sensor (the common case:
 * "T3 is being replaced"); run by hand, not by the build: {@code java -cp ...
 * SilenceIndexBenchmark}.
 */
public final class SilenceIndexBenchmark {
  private SilenceIndexBenchmark() {}

  public static void main(String[] args) {
    Instant now = Instant.parse("2026-12-01T20:00:00Z");
    List<Silence> silences = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      silences.add(
          new Silence(
              "s" + i,
              List.of(Matcher.parse("labels.sensor=T" + i), Matcher.parse("labels.site=ship-1")),
              now,
              now.plusSeconds(7200),
              "anna",
              "maintenance",
              false,
              now));
    }
    SilenceIndex index = SilenceIndex.of(silences);
    AlertFields[] alerts = new AlertFields[2000];
    for (int i = 0; i < alerts.length; i++) {
      alerts[i] =
          AlertFields.of(
              "engine-room/plc-3",
              "overtemp",
              "critical",
              Map.of("sensor", "T" + i, "site", "ship-1", "room", "engine"));
    }
    int hits = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      int ops = 2_000_000;
      for (int i = 0; i < ops; i++) {
        hits += index.silencing(alerts[i % alerts.length], now).isPresent() ? 1 : 0;
      }
      long ns = System.nanoTime() - start;
      System.out.printf("round %d: %.0f ns/op over 1,000 silences%n", round, (double) ns / ops);
    }
    System.out.println("hits: " + hits);
  }
}

package io.alertbridge.bench;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.policy.LiveRules;
import io.alertbridge.policy.PolicyObserver;
import io.alertbridge.policy.PolicyOperators;
import io.alertbridge.policy.PolicyRules;
import io.alertbridge.policy.PolicyTopology;
import io.alertbridge.policy.WatchedAlerts;
import io.alertbridge.route.Router;
import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.SilenceIndex;
import io.alertbridge.silence.Silences;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * What operators' controls cost the policy (issue 17): events per second through the real policy
 * topology (Kafka's TopologyTestDriver: the policy's own work, no broker), with no silences and no
 * inhibition rules, then with 1,000 active silences and 20 inhibition rules whose sources fire,
 * alternating, three rounds each. None of the silences or rules covers the stream's alerts, so both
 * runs mail the same: the difference is the cost of asking. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q -o -DskipTests -Dcds.skip install && ./mvnw -q -o -pl agent exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.alertbridge.bench.OperatorsBenchmark \
 *   -Dexec.args="30000 5"
 * </pre>
 */
public final class OperatorsBenchmark {
  private static final int SENSORS = 2_000;
  private static final int SITES = 20;

  private OperatorsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("alertbridge-operators-bench");
    compare(dir, "readings of 2,000 alerts", stream(events, SENSORS), rounds);
    compare(dir, "distinct alerts (a storm)", stream(events, events), rounds);
  }

  private static void compare(Path dir, String what, List<byte[]> stream, int rounds)
      throws Exception {
    System.out.printf("%,d events, %s, on %d sites%n", stream.size(), what, SITES);
    run(dir, stream, false); // warm-up
    run(dir, stream, true);
    List<Double> plain = new ArrayList<>();
    List<Double> steered = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      plain.add(run(dir, stream, false));
      steered.add(run(dir, stream, true));
    }
    double p = median(plain);
    double s = median(steered);
    System.out.printf(
        "  no silences, no rules:               %,.0f events/s (rounds %s)%n", p, fmt(plain));
    System.out.printf(
        "  1,000 silences and 20 inhibit rules: %,.0f events/s (rounds %s)%n", s, fmt(steered));
    System.out.printf("  ratio of medians: %.1f%%%n", 100 * s / p);
  }

  private static double run(Path dir, List<byte[]> stream, boolean steered) throws Exception {
    Path run = Files.createTempDirectory(dir, "run");
    String yaml =
        ConfigFixtures.VALID
                .replace(
                    "    template: overtemp\n",
                    "    template: overtemp\n    group-by: [labels.site, type]\n    group-wait: 0s\n")
                .replace(
                    "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n",
                    "policy:\n  max-event-age: 1h\n")
            + (steered ? rules() : "");
    AlertbridgeConfig config = new ConfigLoader(Map.of()).load(ConfigFixtures.write(run, yaml));
    Router router = Router.of(config);
    WatchedAlerts watched = new WatchedAlerts();
    Silences silences = steered ? silences() : Silences.NONE;
    PolicyTopology.Wiring w =
        new PolicyTopology.Wiring(
            new EventDecoder(1 << 20),
            new LiveRules(PolicyRules.of(config, router, 0)),
            Clock.systemUTC(),
            List.of("alerts"),
            "alerts.dlq",
            "bench.state",
            config.policy().maxEventAge(),
            config.policy().dedupWindow(),
            config.policy().maxMailsPerRecipient(),
            "plant.example",
            config.policy().maxClockSkew(),
            PolicyObserver.NONE,
            new PolicyOperators(silences, watched),
            null);
    if (steered) {
      // The rules' sources fire on sites the stream does not use: asked, never matching.
      for (int i = 0; i < SITES; i++) {
        watched.apply("src-" + i, sourceJson(i));
      }
    }
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench");
    p.put(StreamsConfig.STATE_DIR_CONFIG, run.resolve("state").toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(PolicyTopology.build(w), p)) {
      var in =
          driver.createInputTopic("alerts", new ByteArraySerializer(), new ByteArraySerializer());
      var out =
          driver.createOutputTopic(
              w.notificationsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
      long start = System.nanoTime();
      for (byte[] e : stream) {
        in.pipeInput(new TestRecord<>(null, e));
      }
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      long nanos = System.nanoTime() - start;
      if (out.getQueueSize() == 0) {
        throw new IllegalStateException("the policy mailed nothing: the benchmark is broken");
      }
      return stream.size() * 1e9 / nanos;
    }
  }

  private static String rules() {
    StringBuilder sb = new StringBuilder("inhibit:\n");
    for (int i = 0; i < 20; i++) {
      sb.append("  - source: ['type=\"plc-comms-lost-")
          .append(i)
          .append("\"']\n    target: ['labels.room=\"engine\"']\n    equal: [labels.site]\n");
    }
    return sb.toString();
  }

  /** 1,000 silences of sensors and sources the stream does not have; a tenth with regexes. */
  private static Silences silences() {
    Instant now = Instant.now();
    List<Silence> all = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      List<Matcher> m =
          i % 10 == 0
              ? List.of(
                  Matcher.parse("source=~\"maintenance-" + i + "/.*\""),
                  Matcher.parse("severity!=info"))
              : List.of(
                  Matcher.parse("labels.sensor=\"X" + i + "\""),
                  Matcher.parse("type=~\"overtemp|pressure\""));
      all.add(
          new Silence(
              "s" + i,
              m,
              now.minusSeconds(60),
              now.plus(Duration.ofHours(2)),
              "bench",
              "bench",
              false,
              now));
    }
    SilenceIndex index = SilenceIndex.of(all);
    return new Silences() {
      @Override
      public Optional<Silence> silencing(AlertFields alert, Instant at) {
        return index.silencing(alert, at);
      }

      @Override
      public List<Silence> all() {
        return all;
      }
    };
  }

  private static byte[] sourceJson(int i) {
    return ("{\"v\":1,\"fingerprint\":\"src"
            + i
            + "\",\"source\":\"scada\",\"type\":\"plc-comms-lost-"
            + i
            + "\",\"severity\":\"critical\",\"labels\":{\"site\":\"other-"
            + i
            + "\"},\"since\":0}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Readings of {@code sensors} sensors, critical in the engine room, firing. */
  private static List<byte[]> stream(int events, int sensors) {
    List<byte[]> out = new ArrayList<>(events);
    Instant t = Instant.now();
    for (int i = 0; i < events; i++) {
      int sensor = i % sensors;
      String json =
          "{\"id\":\"e"
              + i
              + "\",\"time\":\""
              + t.plusMillis(i)
              + "\",\"source\":\"engine-room/plc-"
              + (sensor % SITES)
              + "\",\"type\":\"overtemp\",\"severity\":\"critical\","
              + "\"status\":\"firing\",\"summary\":\"Overtemp\",\"labels\":{\"room\":\"engine\","
              + "\"site\":\"ship-"
              + (sensor % SITES)
              + "\",\"sensor\":\"T"
              + sensor
              + "\"},"
              + "\"values\":{\"temperature_c\":"
              + (90 + i % 10)
              + "}}";
      out.add(json.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format("%,.0f", x)).toList().toString();
  }
}

package io.alertbridge.policy;

import io.alertbridge.silence.TopicFollower;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts firing now, as the policy stage last committed them: its alerts store's changelog
 * ({@code STATE-alerts-changelog}, Kafka Streams' {@code <application.id>-<store>-changelog}), read
 * from outside the stage, from beginning to end, committed records only. For {@code alertbridge
 * silence query}: which alerts a silence would cover, before it is added. Read-only; the stage need
 * not run.
 */
public final class FiringAlerts {
  private static final Logger log = LoggerFactory.getLogger(FiringAlerts.class);

  /**
   * One firing alert.
   *
   * @param groupKey the group it belongs to (route and group-by values)
   * @param since the event time of its first reading in this incident
   * @param state what the recipients are to be told: {@code firing}
   */
  public record Firing(
      String groupKey, String fingerprint, AlertSnapshot latest, Instant since, String state) {}

  private FiringAlerts() {}

  /** The changelog of the alerts store of the policy whose state topic is {@code stateTopic}. */
  public static String changelogTopic(String stateTopic) {
    return stateTopic + "-" + PolicyTopology.ALERTS_STORE + "-changelog";
  }

  /**
   * Reads the changelog whole and returns the alerts that fire, by group key and fingerprint.
   *
   * @param consumerProperties Kafka client properties ({@code KafkaClients.consumer}); no group is
   *     joined
   * @throws TimeoutException when the changelog could not be read to its end in {@code timeout}
   */
  public static List<Firing> read(
      Map<String, Object> consumerProperties, String stateTopic, Duration timeout)
      throws TimeoutException, InterruptedException {
    Map<String, byte[]> latest = new HashMap<>();
    String topic = changelogTopic(stateTopic);
    TopicFollower follower =
        new TopicFollower(
            topic,
            consumerProperties,
            (key, value) -> {
              if (value == null) {
                latest.remove(key);
              } else {
                latest.put(key, value);
              }
            },
            "alertbridge-firing-alerts");
    boolean done;
    try {
      follower.start();
      done = follower.awaitCaughtUp(timeout);
    } finally {
      follower.close(); // joins the reading thread: its map is complete and visible here
    }
    if (!done) {
      throw new TimeoutException("could not read " + topic + " to its end within " + timeout);
    }
    return decode(topic, latest);
  }

  static List<Firing> decode(String topic, Map<String, byte[]> values) {
    List<Firing> firing = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      String key = e.getKey();
      int bar = key == null ? -1 : key.lastIndexOf('|');
      AlertEntry a;
      try {
        a = PolicyJson.read(e.getValue(), AlertEntry.class);
      } catch (IOException | RuntimeException unreadable) {
        log.warn(
            "{}: value of {} cannot be read and is skipped: {}",
            topic,
            key,
            unreadable.getMessage());
        continue;
      }
      if (bar < 0 || !a.firing()) {
        continue;
      }
      firing.add(
          new Firing(
              key.substring(0, bar),
              key.substring(bar + 1),
              a.latest(),
              Instant.ofEpochMilli(a.firstSeen()),
              a.state()));
    }
    firing.sort(
        java.util.Comparator.comparing(Firing::groupKey).thenComparing(Firing::fingerprint));
    return firing;
  }
}

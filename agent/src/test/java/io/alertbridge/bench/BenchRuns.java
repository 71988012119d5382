package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.SmtpSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Configurations, events and the sink's clock that the daemon benchmarks share. */
final class BenchRuns {
  private BenchRuns() {}

  /** Mails at the sink: how many, and when the first and the last arrived ({@code nanoTime}). */
  record MailTimes(AtomicInteger mails, AtomicLong first, AtomicLong last) {
    static MailTimes listen(SmtpSink sink) {
      MailTimes t = new MailTimes(new AtomicInteger(), new AtomicLong(), new AtomicLong());
      sink.onReceived(
          m -> {
            long now = System.nanoTime();
            if (t.mails.getAndIncrement() == 0) {
              t.first.set(now);
            }
            t.last.set(now);
          });
      return t;
    }
  }

  /**
   * The machine's load average now, printed beside timings: the cores are shared, and a run beside
   * someone's build measures the build as much as the daemon.
   */
  static String load() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return "load average " + f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "load average unknown";
    }
  }

  /** The daemon's JVM flags: {@code -Dbench.jvm="..."}, or {@code defaults}. */
  static List<String> jvm(String defaults) {
    return List.of(System.getProperty("bench.jvm", defaults).trim().split("\\s+"));
  }

  /**
   * {@link ConfigFixtures#VALID}: one mail per event with {@code policy}'s false (the direct path),
   * or through the notification policy with one group per alert and {@code group-wait: 0s}.
   */
  static String config(boolean policy, int connections) {
    String yaml =
        ConfigFixtures.VALID.replace(
            "  read-timeout: 5s\n", "  read-timeout: 5s\n  connections: " + connections + "\n");
    if (!policy) {
      return yaml;
    }
    return yaml.replace("    template: plain\n", "    template: plain\n    group-wait: 0s\n")
        .replace(
            "  enabled: false  # these tests are about delivery: one mail per event, at once\n",
            "  max-event-age: 1h\n");
  }

  /**
   * {@code n} distinct alerts, now: alert i has sensor {@code prefix-i} and summary "reading i".
   */
  static void produceAlerts(
      KafkaProducer<byte[], byte[]> producer, String topic, String prefix, int n) {
    produceAlerts(producer, topic, prefix, n, i -> "\"sensor\":\"%s-%d\"".formatted(prefix, i));
  }

  /**
   * The same with alert i's labels given as JSON members, e.g. {@code "site":"s1","sensor":"x-1"}:
   * the labels decide the alert's identity and which groups it falls into.
   */
  static void produceAlerts(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      String prefix,
      int n,
      IntFunction<String> labels) {
    String now = Instant.now().toString();
    for (int i = 0; i < n; i++) {
      String json =
          ("{\"id\":\"%s-%s-%d\",\"time\":\"%s\",\"source\":\"bench\",\"type\":\"overtemp\","
                  + "\"severity\":\"warning\",\"summary\":\"reading %d of %s-%d\","
                  + "\"labels\":{%s}}")
              .formatted(topic, prefix, i, now, i, prefix, i, labels.apply(i));
      producer.send(
          new ProducerRecord<>(
              topic,
              (prefix + "-" + i).getBytes(StandardCharsets.UTF_8),
              json.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }
}

package io.alertbridge.bench;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A training run for an Application Class-Data Sharing archive: the packaged daemon in its own JVM
 * with {@code -XX:ArchiveClassesAtExit}, doing its real work (joining a group, rendering, SMTP,
 * audit, commit) on a few hundred events from an in-process broker into the SMTP sink, then stopped
 * by SIGTERM so that the JVM writes the archive of every class it loaded.
 *
 * <pre>
 * java -cp ... io.alertbridge.bench.CdsTraining agent/target/alertbridge.jsa
 * </pre>
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args.length > 0 ? args[0] : "agent/target/alertbridge.jsa");
    Path dir = Files.createTempDirectory("alertbridge-cds-training");
    Files.deleteIfExists(archive);
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        SmtpSink sink = SmtpSink.start()) {
      kafka.createTopics(2, "training", "training.dlq");
      Path config = ConfigFixtures.write(dir, ConfigFixtures.VALID);
      Map<String, String> env =
          new HashMap<>(
              ConfigFixtures.env(
                  kafka.bootstrapServers(),
                  "training",
                  "training",
                  sink.port(),
                  dir.resolve("audit.jsonl")));
      Process daemon =
          DaemonJvm.start(
              dir,
              config,
              env,
              List.of("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath(), "-Xlog:cds=warning"));
      int events = 300;
      try (KafkaProducer<byte[], byte[]> producer = PipelineBenchmark.producer(kafka)) {
        for (int i = 0; i < events; i++) {
          producer.send(
              new ProducerRecord<>("training", PipelineBenchmark.record("training-" + i).value()));
        }
        producer.flush();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (sink.received().size() < events && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      // A second of idle polling and committing, as the daemon spends most of its life.
      Thread.sleep(1000);
      daemon.destroy();
      if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
        throw new IllegalStateException("the training daemon did not stop");
      }
      if (sink.received().size() < events || !Files.exists(archive)) {
        throw new IllegalStateException(
            "training failed: "
                + sink.received().size()
                + " mails, archive "
                + (Files.exists(archive) ? "written" : "missing")
                + "\n"
                + Files.readString(dir.resolve("daemon.log")));
      }
      System.out.printf(
          "CDS archive %s: %d KiB from a run of %d mails%n",
          archive, Files.size(archive) / 1024, events);
    }
  }
}

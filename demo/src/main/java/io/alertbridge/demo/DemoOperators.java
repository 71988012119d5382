package io.alertbridge.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The operators' part of the demo (issue 17): a silence added through the daemon's Alertmanager API
 * exactly as {@code amtool silence add} adds it, the {@code silenced} audit line of a reading it
 * covers, and an engine-room alarm inhibited behind a "PLC comms lost".
 */
final class DemoOperators {
  /** The token's holder: the API records it as the silence's author, whatever the client says. */
  static final String AUTHOR = "demo";

  static final String COMMENT = "T7 is being replaced";
  static final Duration SILENCE_FOR = Duration.ofHours(2);

  /** Produces events to the demo's topic and returns once the broker has them. */
  interface Producer {
    void produce(List<ProducerRecord<byte[], byte[]>> events) throws Exception;
  }

  /** What this part saw; each field is null until its step succeeded. */
  record Outcome(String silenceId, AuditRecord silenced, AuditRecord inhibited) {
    boolean complete() {
      return silenceId != null && silenced != null && inhibited != null;
    }
  }

  private final Path tokensFile;
  private final Path amtoolConfig;
  private final String token;
  private final List<AuditRecord> audited;
  private final PrintStream out;
  private final Clock clock;

  private DemoOperators(
      Path tokensFile,
      Path amtoolConfig,
      String token,
      List<AuditRecord> audited,
      PrintStream out,
      Clock clock) {
    this.tokensFile = tokensFile;
    this.amtoolConfig = amtoolConfig;
    this.token = token;
    this.audited = audited;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Writes a fresh token to {@code dir}: the daemon's tokens file, and amtool's HTTP configuration
   * holding the same token, so that the printed amtool command works against a {@code
   * --keep-running} demo. Both are created owner-only: the daemon refuses a readable tokens file.
   */
  static DemoOperators prepare(Path dir, List<AuditRecord> audited, PrintStream out, Clock clock)
      throws IOException {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Path tokens = ownerOnly(dir.resolve("http-tokens"), AUTHOR + ":" + token + "\n");
    Path amtool =
        ownerOnly(dir.resolve("amtool-http.yml"), "authorization:\n  credentials: " + token + "\n");
    return new DemoOperators(tokens, amtool, token, audited, out, clock);
  }

  private static Path ownerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content);
  }

  /**
   * The configuration's {@code http.listen} and {@code http.auth.tokens-file}, as the demo sets
   * them.
   */
  void environment(Map<String, String> env) {
    // An ephemeral port: a demo must not fail because something already listens on 9464.
    env.put("HTTP_LISTEN", "127.0.0.1:0");
    // Absolute: the configuration resolves a relative tokens file against its own directory.
    env.put("HTTP_TOKENS_FILE", tokensFile.toAbsolutePath().toString());
  }

  /**
   * Adds the silence, then produces the readings; returns as soon as a step did not have its
   * expected outcome by {@code deadline} (System.nanoTime).
   *
   * <p>It returns a while after the last step: by then any mail the silenced or the inhibited
   * alert's group would send was due, so the demo's count of mails shows that neither was mailed.
   */
  Outcome run(InetSocketAddress http, Producer producer, String topic, long deadline)
      throws Exception {
    String id = addSilence("http://" + http.getHostString() + ":" + http.getPort());
    if (id == null
        || await(line(AuditStatus.SILENCE_ADDED, a -> id.equals(a.silence().id())), deadline)
            .isEmpty()) {
      return new Outcome(id, null, null);
    }
    Optional<AuditRecord> silenced = silenced(producer, topic, deadline);
    // T7's group mails (if it would) a group-interval after its last mail at the latest.
    long settled = System.nanoTime() + Demo.GROUP_INTERVAL.plusSeconds(1).toNanos();
    if (silenced.isEmpty()) {
      return new Outcome(id, null, null);
    }
    Optional<AuditRecord> inhibited = inhibited(producer, topic, deadline);
    // The symptom's group is new: it would mail a group-wait after its first reading.
    settled = Math.max(settled, System.nanoTime() + Demo.GROUP_WAIT.plusSeconds(1).toNanos());
    Thread.sleep(Math.max(0, Math.min(settled, deadline) - System.nanoTime()) / 1_000_000);
    return new Outcome(id, silenced.get(), inhibited.orElse(null));
  }

  /** A reading of T7, which the silence covers: its audit line. */
  private Optional<AuditRecord> silenced(Producer producer, String topic, long deadline)
      throws Exception {
    producer.produce(List.of(DemoEvents.silenced(topic, clock.instant())));
    Optional<AuditRecord> silenced =
        await(line(AuditStatus.SUPPRESSED, a -> "silenced".equals(a.reason())), deadline);
    silenced.ifPresent(
        a ->
            out.printf(
                "Produced an overtemp reading of T7 on ship-1: the silence covers it, so it is"
                    + " audited \"silenced\", with the silence's id as its cause, and not"
                    + " mailed:%n  %s%n%n",
                a.toJson()));
    return silenced;
  }

  /** "PLC comms lost" of ship-2, then an alarm of its engine room: the alarm's audit line. */
  private Optional<AuditRecord> inhibited(Producer producer, String topic, long deadline)
      throws Exception {
    producer.produce(List.of(DemoEvents.plcCommsLost(topic, clock.instant())));
    out.printf(
        "Produced \"PLC comms lost\" of ship-2 (type plc-comms-lost, room control): the default"
            + " route mails it.%n%n");
    // The PLC's alert must be firing, and so inhibiting, before the symptom comes: its mail, a
    // group-wait after its reading, says the policy has it.
    Predicate<AuditRecord> plcMail = a -> a.eventIds().contains(DemoEvents.PLC_ID);
    if (await(line(AuditStatus.SENT, plcMail), deadline).isEmpty()) {
      return Optional.empty();
    }
    producer.produce(List.of(DemoEvents.inhibited(topic, clock.instant())));
    Optional<AuditRecord> inhibited =
        await(line(AuditStatus.SUPPRESSED, a -> "inhibited".equals(a.reason())), deadline);
    inhibited.ifPresent(
        a ->
            out.printf(
                "Produced an overtemp reading of ship-2's engine room: the shipped inhibition"
                    + " rule (source type=\"plc-comms-lost\", target labels.room=\"engine\", equal"
                    + " labels.site) holds it back while the PLC's comms are lost; it is audited"
                    + " \"inhibited\", with the PLC alert's fingerprint as its cause:%n  %s%n%n",
                a.toJson()));
    return inhibited;
  }

  /** POST /api/v2/silences, as amtool sends it; the new silence's id, or null after a refusal. */
  private String addSilence(String base) throws IOException, InterruptedException {
    Instant start = clock.instant();
    ObjectMapper json = new ObjectMapper();
    ObjectNode silence = json.createObjectNode();
    silence
        .putArray("matchers")
        .addObject()
        .put("name", "sensor")
        .put("value", "T7")
        .put("isRegex", false)
        .put("isEqual", true);
    silence.put("startsAt", start.toString());
    silence.put("endsAt", start.plus(SILENCE_FOR).toString());
    silence.put("createdBy", AUTHOR);
    silence.put("comment", COMMENT);
    out.printf(
        "Adding a silence through the daemon's Alertmanager API, as amtool does it with%n"
            + "  amtool silence add --alertmanager.url=%s --http.config.file=%s \\%n"
            + "      --author=%s --duration=%dh --comment=\"%s\" sensor=T7%n",
        base, amtoolConfig, AUTHOR, SILENCE_FOR.toHours(), COMMENT);
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(base + "/api/v2/silences"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(silence)))
            .build();
    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());
    out.printf(
        "  POST /api/v2/silences with the bearer token of %s (%s): %d %s%n%n",
        AUTHOR, tokensFile, answer.statusCode(), answer.body().strip());
    if (answer.statusCode() != 200) {
      return null;
    }
    return json.readTree(answer.body()).path("silenceID").asText(null);
  }

  private static Predicate<AuditRecord> line(AuditStatus status, Predicate<AuditRecord> and) {
    return a -> a.status() == status && and.test(a);
  }

  /** The first audit line that matches, once there is one. */
  private Optional<AuditRecord> await(Predicate<AuditRecord> wanted, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      Optional<AuditRecord> a = audited.stream().filter(wanted).findFirst();
      if (a.isPresent()) {
        return a;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }
}

package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.ManualClock;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.route.Router;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No single record stops the policy stage (review C1, M4d): what a step cannot handle is
 * dead-lettered and audited once, through the topology, and the next record goes on.
 */
class PolicyFailuresTest {
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(START);
  private final Map<String, CrashGuard.Crash> crashStore = new HashMap<>();
  private final CrashGuard guard =
      new CrashGuard(
          new CrashGuard.Store() {
            @Override
            public Map<String, CrashGuard.Crash> readAll() {
              return Map.copyOf(crashStore);
            }

            @Override
            public void write(String partitionKey, CrashGuard.Crash crash) {
              crashStore.put(partitionKey, crash);
            }
          });
  private final List<AuditRecord> audit = new ArrayList<>();
  private final List<String> auditKeys = new ArrayList<>();
  private final List<TestRecord<String, byte[]>> mails = new ArrayList<>();
  private PolicyTopology.Wiring wiring;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> alerts;
  private TestInputTopic<String, byte[]> events;
  private TestOutputTopic<String, byte[]> notifications;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  private void start(String crashOnEventId) throws Exception {
    String yaml =
        ConfigFixtures.VALID.replace(
            "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n",
            "policy:\n  max-event-age: 1h\n");
    AlertbridgeConfig config = new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, yaml));
    Router router = Router.of(config);
    wiring =
        new PolicyTopology.Wiring(
            new EventDecoder(1 << 20),
            new LiveRules(PolicyRules.of(config, router, 0)),
            clock,
            List.of("alerts"),
            "alerts.dlq",
            "alertbridge.state",
            config.policy().maxEventAge(),
            config.policy().dedupWindow(),
            config.policy().maxMailsPerRecipient(),
            "plant.example",
            config.policy().maxClockSkew(),
            PolicyObserver.NONE,
            PolicyOperators.none(),
            crashOnEventId);
    guard.load();
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "policy-failures-test");
    p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    driver = new TopologyTestDriver(PolicyTopology.build(wiring, guard), p, START);
    alerts =
        driver.createInputTopic("alerts", new ByteArraySerializer(), new ByteArraySerializer());
    events =
        driver.createInputTopic(
            wiring.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
    notifications =
        driver.createOutputTopic(
            wiring.notificationsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters =
        driver.createOutputTopic(
            "alerts.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private static String event(String id, String time) {
    return """
        {"id": "%s", "time": "%s", "source": "engine-room/plc-3", "type": "overtemp",
         "severity": "critical", "status": "firing", "summary": "Overtemp",
         "labels": {"room": "engine"}}
        """
        .formatted(id, time);
  }

  private void send(byte[] value) {
    alerts.pipeInput(new TestRecord<>(null, value));
  }

  private void send(String json) {
    send(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Mails and audit lines the topology wrote, once group-wait (30s by default) has passed. */
  private void drain() {
    clock.advance(Duration.ofMinutes(1));
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    for (TestRecord<String, byte[]> r : notifications.readRecordsToList()) {
      if (r.headers().lastHeader(StageRecords.KIND_HEADER) != null) {
        audit.add(AuditRecord.fromJson(new String(r.value(), StandardCharsets.UTF_8)));
        auditKeys.add(r.key());
      } else {
        mails.add(r);
      }
    }
  }

  private static String header(TestRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void anEventTimeBeyondTheMillisecondRangeIsDeadLetteredOnceAndTheNextEventIsMailed()
      throws Exception {
    start(null);
    send(event("far-future", "+300000000-01-01T00:00:00Z"));
    send(event("good", START.toString()));
    drain();

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("0");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(audit)
        .singleElement()
        .satisfies(a -> assertThat(a.offset()).isZero())
        .satisfies(
            a -> assertThat(a.status()).isIn(AuditStatus.INVALID, AuditStatus.DEAD_LETTERED));
    assertThat(mails)
        .isNotEmpty()
        .allSatisfy(
            m -> assertThat(new String(m.value(), StandardCharsets.UTF_8)).contains("good"));
  }

  @Test
  void aLargeRecordIsDeadLetteredAsATruncatedCopyNamingItsOrigin() throws Exception {
    start(null);
    byte[] big = new byte[200 * 1024];
    Arrays.fill(big, (byte) 'x');
    send(big);
    drain();

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).hasSize(16 * 1024);
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_TRUNCATED)).isEqualTo("true");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_ORIGINAL_SIZE)).isEqualTo("204800");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_TOPIC)).isEqualTo("alerts");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("0");
    assertThat(dead.headers().lastHeader(StageRecords.KIND_HEADER)).isNull();
    assertThat(audit).extracting(AuditRecord::status).containsExactly(AuditStatus.INVALID);
  }

  @Test
  void aRecordThePolicyStepCannotHandleIsDeadLetteredWithItsAlertsPosition() throws Exception {
    start(null);
    // Readable, but without routes: the policy step throws on it.
    String routed =
        """
        {"event": {"id": "e1", "time": 0, "source": "s", "type": "t", "severity": "info",
                   "status": "firing"},
         "topic": "alerts-b", "partition": 2, "offset": 41}
        """;
    events.pipeInput("engine", routed.getBytes(StandardCharsets.UTF_8));
    send(event("good", START.toString()));
    drain();

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_TOPIC)).isEqualTo("alerts-b");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_PARTITION)).isEqualTo("2");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("41");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_REASON))
        .startsWith("the policy stage cannot process this record: java.lang.NullPointerException");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_EXCEPTION)).contains("\tat ");
    assertThat(audit)
        .singleElement()
        .satisfies(a -> assertThat(a.status()).isEqualTo(AuditStatus.DEAD_LETTERED))
        .satisfies(a -> assertThat(a.eventId()).isEqualTo("e1"))
        .satisfies(a -> assertThat(a.offset()).isEqualTo(41));
    assertThat(mails).isNotEmpty();
  }

  @Test
  void aRecordTheStageDiedOnTwiceInARowIsDeadLetteredWithoutBeingProcessed() throws Exception {
    crashStore.put("alerts-0", new CrashGuard.Crash(0, CrashGuard.DEATHS));
    start(null);
    send(event("killer", START.toString()));
    send(event("good", START.toString()));
    drain();

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_OFFSET)).isEqualTo("0");
    assertThat(header(dead, KafkaDeadLetterSink.HEADER_REASON))
        .isEqualTo(
            "the policy stage died on this record 2 times in a row; it is not processed again");
    assertThat(audit)
        .singleElement()
        .satisfies(a -> assertThat(a.status()).isEqualTo(AuditStatus.DEAD_LETTERED));
    assertThat(mails)
        .isNotEmpty()
        .allSatisfy(
            m -> assertThat(new String(m.value(), StandardCharsets.UTF_8)).contains("good"));
  }

  @Test
  void aThreadDeathIsCountedAgainstTheRecordItWasOnAndTwoInARowTripTheGuard() throws Exception {
    start("killer");
    assertThatThrownBy(() -> send(event("killer", START.toString())))
        .satisfies(t -> assertThat(rootCause(t)).isInstanceOf(RouteProcessor.TestCrash.class));
    // What the uncaught-exception handler does, on the thread that died.
    assertThat(guard.died()).hasValueSatisfying(p -> assertThat(p.offset()).isZero());
    assertThat(crashStore).containsEntry("alerts-0", new CrashGuard.Crash(0, 1));
    CrashGuard.Position at = new CrashGuard.Position("alerts", 0, 0);
    assertThat(guard.diedOn(at)).isEmpty();

    guard.working(at);
    guard.died();
    assertThat(crashStore).containsEntry("alerts-0", new CrashGuard.Crash(0, 2));
    assertThat(guard.diedOn(at)).isPresent();
    assertThat(guard.diedOn(new CrashGuard.Position("alerts", 0, 1))).isEmpty();

    guard.working(new CrashGuard.Position("alerts", 0, 5));
    guard.died();
    assertThat(crashStore)
        .as("a death elsewhere starts over")
        .containsEntry("alerts-0", new CrashGuard.Crash(5, 1));
  }

  @Test
  void aRecordSettledNormallyIsNotBlamedForALaterDeath() throws Exception {
    start(null);
    send(event("good", START.toString()));
    assertThat(guard.died()).isEmpty();
    assertThat(crashStore).isEmpty();
  }

  @Test
  void auditLinesLeaveTheTopologyOnlyAsRecordsKeyedByTheirGroup() throws Exception {
    start(null);
    send(event("a", START.toString()));
    send(event("a", START.toString())); // a producer's retry: audited as a duplicate
    drain();

    List<TestRecord<String, byte[]>> lines = new ArrayList<>();
    send("not json");
    clock.advance(Duration.ofSeconds(1));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    for (TestRecord<String, byte[]> r : notifications.readRecordsToList()) {
      lines.add(r);
    }
    assertThat(audit)
        .singleElement()
        .satisfies(a -> assertThat(a.reason()).isEqualTo(PolicyAudit.DUPLICATE))
        .satisfies(a -> assertThat(auditKeys).containsExactly(a.group()));
    assertThat(lines)
        .singleElement()
        .satisfies(r -> assertThat(r.key()).isEqualTo("alerts-0"))
        .satisfies(
            r ->
                assertThat(header(r.headers(), StageRecords.KIND_HEADER))
                    .isEqualTo(StageRecords.AUDIT));
  }

  @Test
  void kafkasOwnExceptionsAreNotSettledAsTheRecordsFault() throws Exception {
    start(null);
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    context.setRecordMetadata("alerts", 0, 3);
    SettledProcessor<byte[], Object, Object> step =
        new SettledProcessor<>(
            r -> {
              throw new ProducerFencedException("another instance took over");
            },
            (m, r) -> new SettledProcessor.Described(StageRecords.inbound(m, r), null),
            guard,
            wiring);
    step.init(context);

    assertThatThrownBy(() -> step.process(new Record<>(null, new byte[1], 0L)))
        .isInstanceOf(ProducerFencedException.class);
    assertThat(context.forwarded()).isEmpty();
  }

  private static Throwable rootCause(Throwable t) {
    return t.getCause() == null ? t : rootCause(t.getCause());
  }

  private static String header(org.apache.kafka.common.header.Headers h, String name) {
    return new String(h.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}

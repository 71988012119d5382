package io.alertbridge.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.TokenKey;
import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.imap.Disposition;
import io.alertbridge.inbound.InboundLimits;
import io.alertbridge.inbound.InboundParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inbound mailbox's handler: what each kind of message becomes (issue 18). */
class InboundReaderTest {
  private static final TokenKey KEY =
      TokenKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "test");
  private static final IncidentRef REF =
      IncidentRef.of(3, "engine-critical:abc", 1_796_000_000_000L);
  private static final MailTokens TOKENS = new MailTokens(KEY);
  private static final String REPLY_TOKEN =
      TOKENS.issue(MailTokens.Purpose.REPLY, REF, "third.officer@plant.example");
  private static final String BOUNCE_TOKEN =
      TOKENS.issue(MailTokens.Purpose.BOUNCE, REF, "third.officer@plant.example");

  private final List<AuditRecord> audit = new ArrayList<>();
  private final List<Response> written = new ArrayList<>();
  private final List<IncidentRef> refs = new ArrayList<>();
  private final AuditLog log =
      new AuditLog() {
        @Override
        public void append(AuditRecord r) {
          audit.add(r);
        }

        @Override
        public void close() {}
      };

  private InboundReader reader(boolean policy) {
    return new InboundReader(
        new InboundParser(
            InboundLimits.defaults(),
            "alerts+{token}@alertbridge.plant.example",
            "bounces+{token}@alertbridge.plant.example",
            null),
        TOKENS,
        policy
            ? (ref, r) -> {
              refs.add(ref);
              written.add(r);
            }
            : null,
        log,
        Clock.fixed(Instant.parse("2026-12-01T03:15:00Z"), ZoneOffset.UTC),
        "alertbridge.plant.example");
  }

  /** A fixture of the parser's tests with its made-up tokens replaced by real ones. */
  private static byte[] fixture(String name) throws Exception {
    try (InputStream in = InboundReaderTest.class.getResourceAsStream("/inbound/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("k7q2m4x5r6t2w3y4z5a6b7c2d3", REPLY_TOKEN)
          .replace("b2c3d4e5f6g7h2i3j4k5", BOUNCE_TOKEN)
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  @Test
  void aReplyGoesToThePartitionItsTokenNames() throws Exception {
    assertThat(reader(true).handle(fixture("reply-ack-2h.eml"), 7))
        .isEqualTo(Disposition.PROCESSED);
    assertThat(refs).containsExactly(REF);
    Response.Reply r = (Response.Reply) written.get(0);
    assertThat(r.token()).isEqualTo(REPLY_TOKEN);
    assertThat(r.from()).isEqualTo("third.officer@plant.example");
    assertThat(r.command()).isEqualTo("ack");
    assertThat(r.ttlSeconds()).isEqualTo(7200L);
    assertThat(r.authPass()).isTrue();
    assertThat(audit).isEmpty();
  }

  @Test
  void aReplyStaysInTheMailboxWhileKafkaCannotTakeIt() throws Exception {
    InboundReader r =
        new InboundReader(
            new InboundParser(
                InboundLimits.defaults(),
                "alerts+{token}@alertbridge.plant.example",
                "bounces+{token}@alertbridge.plant.example",
                null),
            TOKENS,
            (ref, response) -> {
              throw new org.apache.kafka.common.errors.TimeoutException("broker away");
            },
            log,
            Clock.systemUTC(),
            "alertbridge.plant.example");
    assertThatThrownBy(() -> r.handle(fixture("reply-unack.eml"), 8))
        .hasMessageContaining("broker away");
  }

  @Test
  void aDeliveryReportIsAuditedWithQueueIdAndEventAndGoesToThePolicy() throws Exception {
    assertThat(reader(true).handle(fixture("postfix-dsn-failed.eml"), 9))
        .isEqualTo(Disposition.PROCESSED);
    assertThat(audit).hasSize(1);
    AuditRecord b = audit.get(0);
    assertThat(b.status()).isEqualTo(AuditStatus.BOUNCED);
    assertThat(b.recipients()).containsExactly("third.officer@plant.example");
    assertThat(b.enhancedStatus()).isEqualTo("5.1.1");
    assertThat(b.queueId()).isNotBlank();
    assertThat(b.eventIds()).containsExactly("01JF3A7Q9ZK2V8X4M6B5C1D0E2");
    assertThat(b.route()).isEqualTo("engine-critical");
    assertThat(b.messageId())
        .isEqualTo("<20261201031208.n-01JF3A7Q9ZK2V8X4M6B5C1D0E2@alertbridge.plant.example>");
    assertThat(written).hasSize(1);
    assertThat(((Response.Bounce) written.get(0)).recipients())
        .extracting(Response.Recipient::action)
        .containsExactly("failed");
  }

  @Test
  void aDelayReportIsAuditedDelayed() throws Exception {
    // This report's mail went to the superintendent: its bounce token was issued to them.
    String token = TOKENS.issue(MailTokens.Purpose.BOUNCE, REF, "superintendent@fleet.example");
    byte[] report =
        new String(fixture("postfix-dsn-delayed.eml"), StandardCharsets.UTF_8)
            .replace(BOUNCE_TOKEN, token)
            .getBytes(StandardCharsets.UTF_8);
    reader(true).handle(report, 10);
    // One line per reported recipient: this report names two.
    assertThat(audit)
        .extracting(AuditRecord::status)
        .containsExactly(AuditStatus.DELAYED, AuditStatus.DELAYED);
  }

  @Test
  void anOutOfOfficeIsRejectedUnanswered() throws Exception {
    assertThat(reader(true).handle(fixture("outlook-out-of-office.eml"), 11))
        .isEqualTo(Disposition.REJECTED);
    assertThat(written).isEmpty();
    assertThat(audit).isEmpty();
  }

  @Test
  void withoutThePolicyAReplyIsRejectedAndABounceStillAudited() throws Exception {
    InboundReader direct = reader(false);
    assertThat(direct.handle(fixture("reply-ack-2h.eml"), 12)).isEqualTo(Disposition.REJECTED);
    assertThat(direct.handle(fixture("postfix-dsn-failed.eml"), 13))
        .isEqualTo(Disposition.PROCESSED);
    assertThat(audit).extracting(AuditRecord::status).containsExactly(AuditStatus.BOUNCED);
  }

  @Test
  void garbageIsRejectedAndNeverThrows() throws Exception {
    byte[] junk = new byte[4096];
    new java.util.Random(18).nextBytes(junk);
    assertThat(reader(true).handle(junk, 14)).isEqualTo(Disposition.REJECTED);
    assertThat(
            reader(true)
                .handle("Subject: hi\r\n\r\nack\r\n".getBytes(StandardCharsets.US_ASCII), 15))
        .isEqualTo(Disposition.REJECTED);
    assertThat(written).isEmpty();
  }

  private InboundReader failing(RuntimeException e) {
    return new InboundReader(
        new InboundParser(
            InboundLimits.defaults(),
            "alerts+{token}@alertbridge.plant.example",
            "bounces+{token}@alertbridge.plant.example",
            null),
        TOKENS,
        (ref, response) -> {
          throw e;
        },
        log,
        Clock.systemUTC(),
        "alertbridge.plant.example");
  }

  @Test
  void aBounceIsAuditedOnlyOnceThePolicyHasItSoARetryWritesNoSecondLine() throws Exception {
    InboundReader r = failing(new org.apache.kafka.common.errors.TimeoutException("broker away"));
    assertThatThrownBy(() -> r.handle(fixture("postfix-dsn-failed.eml"), 20))
        .hasMessageContaining("broker away");
    assertThatThrownBy(() -> r.handle(fixture("postfix-dsn-failed.eml"), 20))
        .hasMessageContaining("broker away");
    assertThat(audit).isEmpty();
  }

  @Test
  void aResponseThatCanNeverBeWrittenIsRejectedNotRetriedForEver() throws Exception {
    InboundReader r = failing(new IllegalArgumentException("the token names partition 65535"));
    assertThat(r.handle(fixture("reply-ack-2h.eml"), 21)).isEqualTo(Disposition.REJECTED);
    assertThat(r.handle(fixture("postfix-dsn-failed.eml"), 22)).isEqualTo(Disposition.REJECTED);
    assertThat(audit).isEmpty();
  }

  @Test
  void aBounceWhoseTokenWasIssuedToNoReportedRecipientIsRejected() throws Exception {
    String other = TOKENS.issue(MailTokens.Purpose.BOUNCE, REF, "someone.else@plant.example");
    byte[] forged =
        new String(fixture("postfix-dsn-failed.eml"), StandardCharsets.UTF_8)
            .replace(BOUNCE_TOKEN, other)
            .getBytes(StandardCharsets.UTF_8);
    assertThat(reader(true).handle(forged, 23)).isEqualTo(Disposition.REJECTED);
    assertThat(audit).isEmpty();
    assertThat(written).isEmpty();
  }
}

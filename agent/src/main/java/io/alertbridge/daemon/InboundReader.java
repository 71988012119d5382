package io.alertbridge.daemon;

import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.ResponseWriter;
import io.alertbridge.audit.AuditLog;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.imap.Disposition;
import io.alertbridge.imap.InboundHandler;
import io.alertbridge.imap.MailboxWatcher;
import io.alertbridge.inbound.Command;
import io.alertbridge.inbound.Inbound;
import io.alertbridge.inbound.InboundParser;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound mailbox's handler (issue 18): each message is parsed ({@link InboundParser}); a reply
 * goes to {@code STATE-responses} for the policy to judge; a bounce is audited here ({@code
 * bounced}, {@code delayed}) with what its report names, and goes to the policy too, which owes the
 * route's {@code on-bounce}; anything else is rejected with a log line. The watcher moves a message
 * only after this returned, so a Kafka outage leaves it in the mailbox to be read again.
 */
final class InboundReader implements InboundHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InboundReader.class);

  /** Makes the reader once the response writer exists. */
  @FunctionalInterface
  interface Factory {
    InboundReader reader(ResponseWriter writer);
  }

  private final InboundParser parser;
  private final ResponseWriter writer;
  private final AuditLog audit;
  private final Clock clock;
  private final String messageIdDomain;
  private MailboxWatcher watcher;

  InboundReader(
      InboundParser parser,
      ResponseWriter writer,
      AuditLog audit,
      Clock clock,
      String messageIdDomain) {
    this.parser = parser;
    this.writer = writer;
    this.audit = audit;
    this.clock = clock;
    this.messageIdDomain = messageIdDomain;
  }

  /** Set once, before {@link #start}: the watcher needs this handler to be made. */
  void watch(MailboxWatcher w) {
    this.watcher = w;
  }

  void start() {
    watcher.start();
  }

  @Override
  public Disposition handle(byte[] raw, long uid) throws Exception {
    Inbound in = parser.parse(raw);
    if (in instanceof Inbound.Reply r) {
      return reply(r, uid);
    }
    if (in instanceof Inbound.Bounce b) {
      return bounce(b, uid);
    }
    Inbound.Rejected x = (Inbound.Rejected) in;
    log.info("inbound uid {} {} rejected: {} ({})", uid, x.messageId(), x.reason(), x.detail());
    if (x.reason() == Inbound.Reason.DMARC_FAIL) {
      audit.append(refused(x.messageId(), "DMARC: " + x.detail()));
    }
    return Disposition.REJECTED;
  }

  @Override
  public void oversized(long uid, long size, String messageId) {
    log.info(
        "inbound uid {} {} rejected: {} bytes, above inbound.max-message-size",
        uid,
        messageId,
        size);
  }

  private Disposition reply(Inbound.Reply r, long uid) throws Exception {
    if (writer == null) {
      log.info(
          "inbound uid {} {} rejected: acknowledgement needs policy.enabled", uid, r.messageId());
      return Disposition.REJECTED;
    }
    Optional<IncidentRef> ref = MailTokens.ref(r.token());
    if (ref.isEmpty()) {
      log.info("inbound uid {} {} rejected: the reply token is malformed", uid, r.messageId());
      audit.append(refused(r.messageId(), "the reply carries no valid token"));
      return Disposition.REJECTED;
    }
    String command = r.command() instanceof Command.Unack ? "unack" : "ack";
    Long ttl =
        r.command() instanceof Command.Ack a ? a.ttl().map(d -> d.toSeconds()).orElse(null) : null;
    writer.write(
        ref.get(),
        new Response.Reply(
            r.token(),
            r.from(),
            command,
            ttl,
            r.messageId(),
            clock.millis(),
            r.auth().pass(),
            r.auth().detail()));
    log.info(
        "inbound uid {} {}: {} from {} sent to the policy", uid, r.messageId(), command, r.from());
    return Disposition.PROCESSED;
  }

  private Disposition bounce(Inbound.Bounce b, long uid) throws Exception {
    String original = originalMessageId(b);
    List<String> eventIds = eventIds(b);
    List<Response.Recipient> reported = new ArrayList<>();
    for (Inbound.RecipientStatus s : b.recipients()) {
      AuditStatus status =
          switch (s.action()) {
            case FAILED -> AuditStatus.BOUNCED;
            case DELAYED -> AuditStatus.DELAYED;
            default -> null;
          };
      if (status == null) {
        continue;
      }
      reported.add(
          new Response.Recipient(
              s.recipient(),
              s.action().name().toLowerCase(java.util.Locale.ROOT),
              s.status(),
              s.diagnostic()));
      audit.append(line(status, b, original, eventIds, s.recipient(), s.status(), s.diagnostic()));
    }
    if (b.recipients().isEmpty()) {
      // A bounce without a report: its address's token or returned headers still trace it.
      audit.append(
          line(
              AuditStatus.BOUNCED,
              b,
              original,
              eventIds,
              null,
              null,
              "bounce without a delivery status report"));
    }
    Optional<IncidentRef> ref = b.token() == null ? Optional.empty() : MailTokens.ref(b.token());
    if (writer != null && ref.isPresent() && (b.recipients().isEmpty() || !reported.isEmpty())) {
      writer.write(
          ref.get(),
          new Response.Bounce(
              b.token(), reported, original, b.queueId(), b.messageId(), clock.millis()));
    }
    log.info(
        "inbound uid {} {}: bounce of {} ({} recipients reported)",
        uid,
        b.messageId(),
        original,
        reported.size());
    return Disposition.PROCESSED;
  }

  /** The Message-ID of the mail that bounced: from the report, or from the DSN envelope id. */
  private String originalMessageId(Inbound.Bounce b) {
    if (b.originalMessageId() != null) {
      return b.originalMessageId();
    }
    String returned = b.returnedHeaders().get("Message-ID");
    if (returned != null) {
      return returned;
    }
    // The ENVID alertbridge sends is the Message-ID's local part.
    return b.envelopeId() == null ? null : "<" + b.envelopeId() + "@" + messageIdDomain + ">";
  }

  private static List<String> eventIds(Inbound.Bounce b) {
    String many = b.returnedHeaders().get("X-Alertbridge-Event-Ids");
    if (many != null) {
      return List.of(many.trim().split("\\s+"));
    }
    String one = b.returnedHeaders().get("X-Alertbridge-Event-Id");
    return one == null ? List.of() : List.of(one.trim());
  }

  private AuditRecord line(
      AuditStatus status,
      Inbound.Bounce b,
      String original,
      List<String> eventIds,
      String recipient,
      String code,
      String diagnostic) {
    return new AuditRecord(
        Instant.now(clock),
        status,
        eventIds.size() == 1 ? eventIds.get(0) : null,
        eventIds,
        null,
        -1,
        -1,
        b.returnedHeaders().get("X-Alertbridge-Route"),
        b.returnedHeaders().get("X-Alertbridge-Group"),
        recipient == null ? List.of() : List.of(recipient),
        List.of(),
        original,
        null,
        null,
        code,
        diagnostic,
        b.queueId(),
        0,
        (status == AuditStatus.DELAYED ? "delayed" : "bounced")
            + (code == null ? "" : ": " + code)
            + (diagnostic == null ? "" : " " + diagnostic)
            + "; report "
            + b.messageId());
  }

  private AuditRecord refused(String messageId, String reason) {
    return new AuditRecord(
            Instant.now(clock),
            AuditStatus.ACK_REFUSED,
            null,
            List.of(),
            null,
            -1,
            -1,
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null,
            0,
            reason)
        .withAck(
            new AuditRecord.AckNote(
                null, Instant.now(clock), Response.BY_REPLY, null, messageId, null));
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}

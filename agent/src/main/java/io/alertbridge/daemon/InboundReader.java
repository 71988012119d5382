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
  private final MailTokens tokens;
  private final ResponseWriter writer;
  private final AuditLog audit;
  private final Clock clock;
  private final String messageIdDomain;
  private MailboxWatcher watcher;

  /**
   * @param tokens checks bounce tokens; null without {@code inbound.key-file} (then no bounce can
   *     be traced, as none carries a token)
   * @param writer null without the policy
   */
  InboundReader(
      InboundParser parser,
      MailTokens tokens,
      ResponseWriter writer,
      AuditLog audit,
      Clock clock,
      String messageIdDomain) {
    this.parser = parser;
    this.tokens = tokens;
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
    if (!written(
        uid,
        r.messageId(),
        ref.get(),
        new Response.Reply(
            r.token(),
            r.from(),
            command,
            ttl,
            r.messageId(),
            clock.millis(),
            r.auth().pass(),
            r.auth().detail()))) {
      return Disposition.REJECTED;
    }
    log.info(
        "inbound uid {} {}: {} from {} sent to the policy", uid, r.messageId(), command, r.from());
    return Disposition.PROCESSED;
  }

  private Disposition bounce(Inbound.Bounce b, long uid) throws Exception {
    Optional<IncidentRef> ref =
        b.token() == null || tokens == null ? Optional.empty() : MailTokens.ref(b.token());
    if (ref.isEmpty()) {
      // Only a bounce to a per-mail address alertbridge issued can name an alert; anything else
      // could be anyone's invention (a DSN for a Message-ID never sent).
      log.info(
          "inbound uid {} {} rejected: a bounce without a valid bounce token", uid, b.messageId());
      return Disposition.REJECTED;
    }
    List<Inbound.RecipientStatus> reported = new ArrayList<>();
    for (Inbound.RecipientStatus s : b.recipients()) {
      if (s.action() == Inbound.Action.FAILED || s.action() == Inbound.Action.DELAYED) {
        reported.add(s);
      }
    }
    boolean genuine =
        b.recipients().stream()
            .anyMatch(s -> tokens.verify(MailTokens.Purpose.BOUNCE, b.token(), s.recipient()));
    if (!b.recipients().isEmpty() && !genuine) {
      log.info(
          "inbound uid {} {} rejected: its bounce token was issued to none of the recipients it"
              + " reports",
          uid,
          b.messageId());
      return Disposition.REJECTED;
    }
    if (!b.recipients().isEmpty() && reported.isEmpty()) {
      log.info("inbound uid {} {}: a report of delivery, nothing to do", uid, b.messageId());
      return Disposition.PROCESSED;
    }
    // Without a report, only the policy can tell whose mail it was (the token's recipient among
    // those it told); it audits the bounce then. With one, the report names the recipient.
    if (writer != null) {
      Response.Bounce forward =
          new Response.Bounce(
              b.token(),
              reported.stream()
                  .map(
                      s ->
                          new Response.Recipient(
                              s.recipient(),
                              s.action().name().toLowerCase(java.util.Locale.ROOT),
                              s.status(),
                              s.diagnostic()))
                  .toList(),
              originalMessageId(b),
              b.queueId(),
              b.messageId(),
              clock.millis());
      if (!written(uid, b.messageId(), ref.get(), forward)) {
        return Disposition.REJECTED;
      }
    } else if (reported.isEmpty()) {
      log.info(
          "inbound uid {} {} rejected: a bounce without a report needs the policy",
          uid,
          b.messageId());
      return Disposition.REJECTED;
    }
    // Audited once the policy has its part: a retry after a Kafka outage writes no second line.
    String original = originalMessageId(b);
    List<String> eventIds = eventIds(b);
    for (Inbound.RecipientStatus s : reported) {
      AuditStatus status =
          s.action() == Inbound.Action.FAILED ? AuditStatus.BOUNCED : AuditStatus.DELAYED;
      audit.append(line(status, b, original, eventIds, s.recipient(), s.status(), s.diagnostic()));
    }
    log.info(
        "inbound uid {} {}: bounce of {} ({} recipients reported)",
        uid,
        b.messageId(),
        original,
        reported.size());
    return Disposition.PROCESSED;
  }

  /**
   * Writes a response; false when it can never be written (a token naming a partition the topic
   * lacks, a record over its bound): the message is then rejected, not retried for ever. Any other
   * failure (Kafka away) is thrown, and the message stays to be read again.
   */
  private boolean written(long uid, String messageId, IncidentRef ref, Response r)
      throws Exception {
    try {
      writer.write(ref, r);
      return true;
    } catch (IllegalArgumentException permanent) {
      log.info("inbound uid {} {} rejected: {}", uid, messageId, permanent.getMessage());
      return false;
    }
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

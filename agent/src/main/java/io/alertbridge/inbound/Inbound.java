package io.alertbridge.inbound;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one message in the inbound mailbox is: a person's reply, a delivery status notification, or
 * a message alertbridge must not act on. {@link InboundParser} makes one per message; the policy
 * decides whether the token, the recipient and the Message-IDs are known.
 */
public sealed interface Inbound permits Inbound.Reply, Inbound.Bounce, Inbound.Rejected {

  /** The message's own Message-ID (with its angle brackets), or null when it has none. */
  String messageId();

  /**
   * A reply to an alert's {@code Reply-To} sub-address carrying a command.
   *
   * @param token the token of the reply address, lowercase base32
   * @param from the From addr-spec, lowercased; the policy compares it with the token's recipient
   * @param inReplyTo the ids of In-Reply-To, then References, each once, with angle brackets
   */
  record Reply(
      String token,
      String from,
      Command command,
      String messageId,
      List<String> inReplyTo,
      Authentication auth)
      implements Inbound {
    public Reply {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(auth, "auth");
      inReplyTo = List.copyOf(inReplyTo);
    }

    @Override
    public String toString() {
      // Tokens never appear in logs: a record's toString is what a log line prints.
      return "Reply[token="
          + AddressTemplate.redact(token)
          + ", from="
          + from
          + ", command="
          + command
          + ", messageId="
          + messageId
          + ", auth="
          + auth
          + "]";
    }
  }

  /**
   * A delivery status notification (RFC 3464), or a bounce without one traced by its returned
   * headers or by the bounce address it was sent to.
   *
   * @param token the token of the bounce address it was sent to, or null
   * @param envelopeId the DSN's Original-Envelope-Id (the ENVID alertbridge sent), or null
   * @param originalMessageId the Message-ID of the returned original, or null
   * @param queueId the id the first server gave the original, or null
   * @param returnedHeaders Message-ID, Subject and X-Alertbridge-* of the returned original
   */
  record Bounce(
      String token,
      String envelopeId,
      String originalMessageId,
      String queueId,
      List<RecipientStatus> recipients,
      Map<String, String> returnedHeaders,
      String messageId)
      implements Inbound {
    public Bounce {
      recipients = List.copyOf(recipients);
      returnedHeaders = Map.copyOf(returnedHeaders);
    }

    @Override
    public String toString() {
      return "Bounce[token="
          + AddressTemplate.redact(token)
          + ", envelopeId="
          + envelopeId
          + ", originalMessageId="
          + originalMessageId
          + ", queueId="
          + queueId
          + ", recipients="
          + recipients
          + ", returnedHeaders="
          + returnedHeaders
          + ", messageId="
          + messageId
          + "]";
    }
  }

  /** A message alertbridge does not act on, and why; {@code detail} is safe to log. */
  record Rejected(Reason reason, String detail, String messageId) implements Inbound {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why a message was rejected. */
  enum Reason {
    /** An automatic message (RFC 3834): answering or acting on it could start a mail loop. */
    AUTO_REPLY,
    /** Not addressed to a reply or bounce sub-address with a well-formed token. */
    NO_TOKEN,
    /** A reply whose first line is not {@code ack}, {@code ack DURATION} or {@code unack}. */
    NO_COMMAND,
    /** {@code trusted-authserv-id} is set and its Authentication-Results show no DMARC pass. */
    DMARC_FAIL,
    /** Larger than {@link InboundLimits#maxMessageBytes()}. */
    TOO_LARGE,
    /** Nested deeper, or with more parts, than {@link InboundLimits} allows. */
    TOO_DEEP,
    /** Unreadable: broken encodings or headers, no From. */
    MALFORMED
  }

  /**
   * The outcome of the DMARC check of a reply. Unchecked (no {@code trusted-authserv-id}) counts as
   * a pass.
   */
  record Authentication(boolean checked, boolean pass, String detail) {
    public Authentication {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** One recipient's group of a delivery status notification. */
  record RecipientStatus(String recipient, Action action, String status, String diagnostic) {
    public RecipientStatus {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(action, "action");
    }
  }

  /** The DSN {@code Action} field (RFC 3464 §2.3.3). */
  enum Action {
    FAILED,
    DELAYED,
    DELIVERED,
    RELAYED,
    EXPANDED
  }
}

package io.alertbridge.audit;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome an audit record attests. */
public enum AuditStatus {
  /** The server accepted the mail (2xx to DATA); the record carries its reply and queue ID. */
  SENT,
  /** The server refused the mail permanently (5xx); the record went to the dead-letter topic. */
  REJECTED,
  /**
   * No reply came after the final dot (timeout, connection lost): the server may have queued the
   * mail. It is retried, so two copies may exist, with the same Message-ID; this line says where.
   */
  UNCERTAIN,
  /** The record was not a valid alert event; it went to the dead-letter topic. */
  INVALID,
  /**
   * The event was valid but could not be turned into mail (no route matched, a template failed); it
   * went to the dead-letter topic.
   */
  DEAD_LETTERED,
  /**
   * The notification policy mailed the event in no mail of its own: a duplicate, a repeat of an
   * alert already notified, a stale event in a backlog summary, muted, or grouped into a mail that
   * another line records. The reason says which; the Message-ID names that mail.
   */
  SUPPRESSED,
  /**
   * A note, like {@link #UNCERTAIN} not an outcome: the event's time was more than {@code
   * policy.max-clock-skew} ahead of this clock, so the policy took it as read now; the reason gives
   * the event time and the skew, another line what became of the event.
   */
  SKEWED,
  /** An operator set a silence (issue 17); the line's {@code silence} says which, by whom, why. */
  SILENCE_ADDED,
  /** A silence ended: expired by an operator, at its end time, or once its alerts resolved. */
  SILENCE_EXPIRED,
  /**
   * Someone took the incident on (issue 18): the line's {@code ack} says who, when, by which
   * channel and with which reply; repeats and escalation stop until it resolves or lapses.
   */
  ACKNOWLEDGED,
  /** An acknowledgement withdrawn ({@code unack}): repeats and escalation resume. */
  UNACKNOWLEDGED,
  /** A reply or link that did not acknowledge; the reason says why (wrong sender, DMARC…). */
  ACK_REFUSED,
  /**
   * A mail the server had accepted could not be delivered later: a delivery status notification
   * came back. The line has the recipient, its status code and diagnostic, and the original
   * Message-ID, queue ID and event ids.
   */
  BOUNCED,
  /** Like {@link #BOUNCED}, but the server is still trying (a DSN with action {@code delayed}). */
  DELAYED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

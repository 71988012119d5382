package io.alertbridge.delivery;

import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import io.alertbridge.render.RenderException;
import io.alertbridge.smtp.OutgoingMail;
import jakarta.mail.internet.InternetAddress;
import java.util.List;

/**
 * Turns one consumed record into the mails it asks for. Alert events take the direct path ({@link
 * DirectPlanner}: decode, route, one mail per route); notifications of the policy stage carry one
 * mail each.
 */
public interface MailPlanner {
  Plan plan(InboundRecord record);

  /** What a record asks for. */
  sealed interface Plan permits Unusable, Suppressed, Mails, AuditOnly {}

  /**
   * The record cannot become mail (not a valid event, no route): it goes to the dead-letter topic.
   */
  record Unusable(AuditStatus status, String eventId, String reason) implements Plan {}

  /**
   * A valid event that gets no mail, audited {@code suppressed} once per route it matched, with the
   * reason (e.g. {@code stale}), and committed: it is no error, so no dead letter.
   */
  record Suppressed(String eventId, List<String> routes, String reason) implements Plan {
    public Suppressed {
      routes = List.copyOf(routes);
    }
  }

  /**
   * Audit lines the policy stage decided in a committed transaction: appended, no mail. The
   * delivery stage is the one writer of the audit file, so a line is written once, when its record
   * is reached, and committed like any other.
   */
  record AuditOnly(List<AuditRecord> records) implements Plan {
    public AuditOnly {
      records = List.copyOf(records);
    }
  }

  /** One or more mails, delivered in order. */
  record Mails(List<PlannedMail> mails) implements Plan {
    public Mails {
      mails = List.copyOf(mails);
    }
  }

  /**
   * One mail to send.
   *
   * @param route the route's name: a retry of the record skips the routes already settled
   * @param eventIds the events the mail carries, for the audit line
   * @param group the policy group, or null on the direct path
   * @param eventTime the time of the oldest event the mail carries, for the latency metric; null
   *     when it carries none (a reminder, a digest)
   * @param build renders the message; a {@link RenderException} dead-letters the record
   */
  record PlannedMail(
      String route,
      List<InternetAddress> recipients,
      List<String> eventIds,
      String group,
      java.time.Instant eventTime,
      Builder build) {
    public PlannedMail {
      recipients = List.copyOf(recipients);
      eventIds = List.copyOf(eventIds);
    }

    /** The only event id when the mail carries exactly one, else null. */
    public String eventId() {
      return eventIds.size() == 1 ? eventIds.get(0) : null;
    }
  }

  /** Renders a planned mail. */
  @FunctionalInterface
  interface Builder {
    OutgoingMail build() throws RenderException;
  }
}

package io.alertbridge.policy;

import io.alertbridge.ack.IncidentRef;
import io.alertbridge.config.Durations;
import io.alertbridge.render.FollowupText;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.render.Templates;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The issue-18 parts of a mail's draft: where replies and bounces come back, the acknowledge link,
 * the DSN envelope id, the list of its events for bounce tracing, and why an escalation or a
 * fallback goes to whom it goes; and the confirmation of an acknowledgement.
 */
final class FollowupDrafts {
  /** Event ids in {@code X-Alertbridge-Event-Ids}: a returned header names them for a bounce. */
  static final int MAX_HEADER_IDS = 20;

  static final int MAX_HEADER_CHARS = 900;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final ResponseAddresses addresses;

  FollowupDrafts(ResponseAddresses addresses) {
    this.addresses = addresses == null ? ResponseAddresses.NONE : addresses;
  }

  /** A group mail's draft with its envelope, tokens and notes. */
  MessageComposer.Draft group(MessageComposer.Draft d, Notification.GroupMail g) {
    Map<String, String> headers = new LinkedHashMap<>(d.headers());
    eventIds(g.eventIds()).ifPresent(ids -> headers.put("X-Alertbridge-Event-Ids", ids));
    MessageComposer.Envelope envelope = MessageComposer.Envelope.DEFAULT;
    String link = null;
    if (g.partition() >= 0 && g.incident() > 0) {
      IncidentRef ref = IncidentRef.of(g.partition(), g.group(), g.incident());
      envelope =
          new MessageComposer.Envelope(
              addresses.bounceFrom(ref, g.to()),
              dsnId(g.messageId()),
              addresses.replyTo(ref, g.to()),
              null);
      // A mail that says the incident resolved offers no way to acknowledge it: the policy refuses
      // every acknowledgement of an incident that is over, so its link would show "sent" and leave
      // an ack-refused line (seen in AckLinkIT).
      link = resolves(g) ? null : addresses.link(ref, g.to(), g.created());
    }
    FollowupText.Parts parts =
        new FollowupText.Parts(
            prefix(g.note()), notes(g.note()), envelope.replyTo() != null && !resolves(g), link);
    return new MessageComposer.Draft(
        d.template(),
        d.context(),
        d.messageId(),
        d.inReplyTo(),
        d.recipients(),
        headers,
        envelope,
        parts);
  }

  /** Whether the mail tells of the end of its incident: as its template does, no alert fires. */
  private static boolean resolves(Notification.GroupMail g) {
    return !g.alerts().isEmpty() && g.alerts().stream().allMatch(a -> "resolved".equals(a.state()));
  }

  /** The confirmation of an acknowledgement, in the incident's thread. */
  static MessageComposer.Draft acknowledgement(
      Notification.Acknowledgement a, List<InternetAddress> to) {
    Map<String, Object> ack = new LinkedHashMap<>();
    ack.put("by", a.by());
    ack.put("at", Instant.ofEpochMilli(a.at()).atOffset(ZoneOffset.UTC));
    ack.put("channel", a.channel());
    ack.put(
        "until", a.until() == 0 ? null : Instant.ofEpochMilli(a.until()).atOffset(ZoneOffset.UTC));
    ack.put("withdrawn", a.unacknowledged());
    Map<String, Object> context =
        Templates.groupContext(a.route(), a.group(), a.groupLabels(), List.of());
    context.put("ack", ack);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Alertbridge-Route", a.route());
    headers.put("X-Alertbridge-Group", a.group());
    // RFC 3834 §5: an answer to a person's message; nothing answers it back.
    MessageComposer.Envelope envelope =
        new MessageComposer.Envelope(null, null, null, "auto-replied");
    return new MessageComposer.Draft(
        Templates.ACKNOWLEDGED, context, a.messageId(), a.inReplyTo(), to, headers, envelope, null);
  }

  /** The DSN envelope id: the Message-ID's local part, which the bounce then names. */
  static String dsnId(String messageId) {
    String id = messageId.replaceAll("^<|>$", "");
    int at = id.indexOf('@');
    String local = at < 0 ? id : id.substring(0, at);
    return local.matches("[!-~&&[^+=]]{1,100}") ? local : null;
  }

  private static java.util.Optional<String> eventIds(List<String> ids) {
    if (ids.size() < 2) {
      return java.util.Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String id : ids) {
      if (n == MAX_HEADER_IDS || sb.length() + id.length() + 1 > MAX_HEADER_CHARS) {
        break;
      }
      sb.append(n++ == 0 ? "" : " ").append(id);
    }
    return java.util.Optional.of(sb.toString());
  }

  private static String prefix(Notification.FollowupNote note) {
    if (note == null) {
      return null;
    }
    return Notification.FollowupNote.ESCALATED.equals(note.kind())
        ? "[ESCALATED]"
        : "[UNREACHABLE]";
  }

  private static List<String> notes(Notification.FollowupNote note) {
    List<String> out = new ArrayList<>();
    if (note == null) {
      return out;
    }
    if (Notification.FollowupNote.ESCALATED.equals(note.kind())) {
      out.add(
          "Escalated (step "
              + note.step()
              + " of "
              + note.steps()
              + "): nobody acknowledged this within "
              + Durations.format(Duration.ofMillis(note.after()))
              + ".");
    } else {
      out.add(
          "Sent to you because it could not be delivered to: "
              + String.join(", ", note.unreachable())
              + ".");
    }
    if (!note.before().isEmpty()) {
      List<String> told = new ArrayList<>();
      for (Notification.FollowupNote.Told t : note.before()) {
        told.add(t.to() + " (" + TIME.format(Instant.ofEpochMilli(t.at())) + ")");
      }
      out.add("Told before: " + String.join(", ", told) + ".");
    }
    return out;
  }
}

package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;
import java.util.Map;

/**
 * One mail the policy stage decided to send, as a record on the notification topic: one type per
 * kind, so that no field changes its meaning with another (issue 16). It carries everything the
 * delivery stage needs to render it, so delivery keeps no state; its Message-ID is fixed here, so a
 * redelivered notification is the same mail. Each has one recipient, or a route's recipients for a
 * backlog summary: the storm guard decides per recipient.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Notification.GroupMail.class, name = "group"),
  @JsonSubTypes.Type(value = Notification.Digest.class, name = "digest"),
  @JsonSubTypes.Type(value = Notification.BacklogSummary.class, name = "backlog"),
  @JsonSubTypes.Type(value = Notification.Acknowledgement.class, name = "acknowledgement")
})
sealed interface Notification
    permits Notification.GroupMail,
        Notification.Digest,
        Notification.BacklogSummary,
        Notification.Acknowledgement {
  String GROUP = "group";
  String DIGEST = "digest";
  String BACKLOG = "backlog";
  String ACKNOWLEDGEMENT = "acknowledgement";

  /** The record's {@code kind}. */
  default String kind() {
    return this instanceof GroupMail
        ? GROUP
        : this instanceof Digest
            ? DIGEST
            : this instanceof Acknowledgement ? ACKNOWLEDGEMENT : BACKLOG;
  }

  List<String> recipients();

  String messageId();

  List<Alert> alerts();

  /** The events this mail is the audit record of. */
  List<String> eventIds();

  /** The notification topic's key, and the mail's {@code X-Alertbridge-Group}. */
  String group();

  long created();

  /** What the mail counts, listed or not: a group's or a digest's alerts, a summary's events. */
  long total();

  /** The Message-ID this mail answers (its thread's first); null but for a group's later mails. */
  default String inReplyTo() {
    return null;
  }

  /**
   * A group's mail to one recipient.
   *
   * @param template the route's template
   * @param inReplyTo the thread's first Message-ID, null for a thread's first mail
   * @param carried the pending events of the listed alerts, which this mail is the audit record of
   * @param unlisted pending events of alerts it counts but does not list ("and N more"), as many as
   *     fit its bound; it is their audit record too
   * @param total the group's alerts, listed or not
   * @param incident when the group's incident began: with {@code partition}, what its reply and
   *     bounce tokens name (issue 18)
   * @param partition the policy task that owns the group; -1 when unknown (no tokens)
   * @param note an escalation or a bounce fallback: why these recipients get it; null for none
   */
  @JsonTypeName("group")
  record GroupMail(
      String route,
      String template,
      String to,
      String group,
      Map<String, String> groupLabels,
      String messageId,
      String inReplyTo,
      List<Alert> alerts,
      List<Pending> carried,
      List<Pending> unlisted,
      long created,
      long total,
      long incident,
      int partition,
      FollowupNote note)
      implements Notification, MailRequest {
    /** A group mail of a release before issue 18, or one without follow-up. */
    GroupMail(
        String route,
        String template,
        String to,
        String group,
        Map<String, String> groupLabels,
        String messageId,
        String inReplyTo,
        List<Alert> alerts,
        List<Pending> carried,
        List<Pending> unlisted,
        long created,
        long total) {
      this(
          route,
          template,
          to,
          group,
          groupLabels,
          messageId,
          inReplyTo,
          alerts,
          carried,
          unlisted,
          created,
          total,
          0,
          -1,
          null);
    }

    public GroupMail {
      alerts = List.copyOf(alerts);
      carried = List.copyOf(carried);
      unlisted = unlisted == null ? List.of() : List.copyOf(unlisted);
      groupLabels = groupLabels == null ? Map.of() : Map.copyOf(groupLabels);
    }

    @Override
    public List<String> recipients() {
      return List.of(to);
    }

    @Override
    public List<String> eventIds() {
      return java.util.stream.Stream.concat(carried.stream(), unlisted.stream())
          .map(Pending::eventId)
          .toList();
    }
  }

  /**
   * The storm guard's mail at the end of a recipient's window: what was folded, worst first.
   *
   * @param since the window's start (epoch ms)
   * @param total alerts folded, listed or not
   * @param groups groups folded
   */
  @JsonTypeName("digest")
  record Digest(
      String to,
      String messageId,
      List<Alert> alerts,
      long created,
      long since,
      long total,
      long groups)
      implements Notification {
    public Digest {
      alerts = List.copyOf(alerts);
    }

    @Override
    public List<String> recipients() {
      return List.of(to);
    }

    @Override
    public List<String> eventIds() {
      return List.of();
    }

    @Override
    public String group() {
      return "digest:" + to;
    }
  }

  /**
   * A route's stale events in one mail.
   *
   * @param from the oldest event's time (epoch ms)
   * @param until the newest event's time
   * @param total stale events summarised
   * @param unlisted firing alerts counted, not listed
   */
  @JsonTypeName("backlog")
  record BacklogSummary(
      String route,
      List<String> recipients,
      String messageId,
      List<Alert> alerts,
      long created,
      long from,
      long until,
      long total,
      long unlisted)
      implements Notification {
    public BacklogSummary {
      recipients = List.copyOf(recipients);
      alerts = List.copyOf(alerts);
    }

    @Override
    public List<String> eventIds() {
      return List.of();
    }

    @Override
    public String group() {
      return "backlog:" + route;
    }
  }

  /**
   * Why a group mail goes to someone beyond the route's recipients (issue 18).
   *
   * @param kind {@code escalated} or {@code unreachable} (the {@code on-bounce} fallback)
   * @param step the escalation step (1-based) and {@code steps} of how many
   * @param after how long nobody acknowledged (ms)
   * @param before who was told before, and when
   * @param unreachable for a fallback: the recipients whose mail bounced
   */
  record FollowupNote(
      String kind, int step, int steps, long after, List<Told> before, List<String> unreachable) {
    static final String ESCALATED = "escalated";
    static final String UNREACHABLE = "unreachable";

    public FollowupNote {
      before = before == null ? List.of() : List.copyOf(before);
      unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
    }

    /** One recipient told before. */
    record Told(String to, long at) {}
  }

  /**
   * The confirmation in an incident's thread that someone acknowledged it, to one recipient (issue
   * 18); marked {@code Auto-Submitted: auto-replied} so that no responder answers it.
   *
   * @param by who acknowledged; {@code channel} {@code reply} or {@code link}
   * @param until when the acknowledgement lapses (epoch ms); 0: when the incident resolves
   * @param unacknowledged true when this says the acknowledgement was withdrawn
   */
  @JsonTypeName("acknowledgement")
  record Acknowledgement(
      String route,
      String to,
      String group,
      Map<String, String> groupLabels,
      String messageId,
      String inReplyTo,
      String by,
      long at,
      String channel,
      long until,
      boolean unacknowledged,
      long created)
      implements Notification {
    public Acknowledgement {
      groupLabels = groupLabels == null ? Map.of() : Map.copyOf(groupLabels);
    }

    @Override
    public List<String> recipients() {
      return List.of(to);
    }

    @Override
    public List<Alert> alerts() {
      return List.of();
    }

    @Override
    public List<String> eventIds() {
      return List.of();
    }

    @Override
    public long total() {
      return 0;
    }
  }

  /**
   * One alert in a mail.
   *
   * @param state {@code new} (firing, not mailed before), {@code firing} (still firing), {@code
   *     resolved} or {@code timed-out}
   * @param route and {@code groupLabels}: set in digests, which list several groups
   * @param changes for a {@code flapping} alert: how often it changed within the window
   */
  record Alert(
      String fingerprint,
      String state,
      AlertSnapshot event,
      long firstSeen,
      String route,
      Map<String, String> groupLabels,
      // Written only when set: most alerts do not flap, and each byte counts against the budget.
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT)
          int changes) {
    Alert(
        String fingerprint,
        String state,
        AlertSnapshot event,
        long firstSeen,
        String route,
        Map<String, String> groupLabels) {
      this(fingerprint, state, event, firstSeen, route, groupLabels, 0);
    }
  }
}

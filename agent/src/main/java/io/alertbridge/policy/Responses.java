package io.alertbridge.policy;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.Response;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what people and mail servers answered (issue 18), read from {@code STATE-responses} by
 * the task that owns the incident's group: acknowledgements by reply or link, their withdrawal, and
 * bounces that may call for the route's {@code on-bounce} fallback. Every token is checked here,
 * against this task's key and state, whoever wrote the record; a response applies once (its
 * Message-ID or link is remembered with the incident), so a mailbox read twice changes nothing.
 */
final class Responses {
  private static final Logger log = LoggerFactory.getLogger(Responses.class);

  /** Where a response was read, for its audit line. */
  record Origin(String topic, int partition, long offset) {}

  private final PolicyTopology.Wiring w;
  private final GroupStore groups;
  private final GroupMails mails;
  private final PolicyAuditor auditor;
  private final Consumer<Record<Object, Object>> out;

  Responses(
      PolicyTopology.Wiring w,
      GroupStore groups,
      GroupMails mails,
      PolicyAuditor auditor,
      Consumer<Record<Object, Object>> out) {
    this.w = w;
    this.groups = groups;
    this.mails = mails;
    this.auditor = auditor;
    this.out = out;
  }

  void apply(byte[] value, Origin origin, long now) {
    try {
      applyRecord(value, origin, now);
    } catch (RuntimeException e) {
      // Not dead-lettered: the record's copy would carry a working token to the dead-letter topic.
      // A response is a person's act, not an alarm: it is logged and the person may answer again.
      log.error(
          "response at {}-{}@{} could not be applied: {}",
          origin.topic(),
          origin.partition(),
          origin.offset(),
          e.toString());
    }
  }

  private void applyRecord(byte[] value, Origin origin, long now) {
    Response r;
    try {
      r = Response.fromJson(value);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "response at {}-{}@{} is unreadable: {}",
          origin.topic(),
          origin.partition(),
          origin.offset(),
          e.toString());
      return;
    }
    if (r instanceof Response.Reply reply) {
      reply(reply, origin, now);
    } else if (r instanceof Response.Click click) {
      click(click, origin, now);
    } else if (r instanceof Response.Bounce bounce) {
      bounce(bounce, now);
    }
  }

  private void reply(Response.Reply r, Origin origin, long now) {
    MailTokens tokens = w.operators().acks().tokens();
    Optional<IncidentRef> ref = tokens == null ? Optional.empty() : MailTokens.ref(r.token());
    String who = r.from();
    if (ref.isEmpty()) {
      refuse(
          null,
          who,
          Response.BY_REPLY,
          r.messageId(),
          origin,
          now,
          "the reply carries no valid token");
      return;
    }
    GroupHead g = find(ref.get());
    if (g == null) {
      refuse(null, who, Response.BY_REPLY, r.messageId(), origin, now, over());
      return;
    }
    Followup f = g.followup();
    // A reply without a Message-ID is known by what it says instead.
    String answer =
        r.messageId() != null
            ? r.messageId()
            : "noid:"
                + Fingerprints.hash(
                    r.token() + "|" + who + "|" + r.command() + "|" + r.ttlSeconds(), 8);
    if (f.answered(answer)) {
      log.info("group {}: reply {} was applied before", g.key(), answer);
      return;
    }
    if (!tokens.verify(MailTokens.Purpose.REPLY, r.token(), who)) {
      String owner =
          f.told().stream()
              .map(Followup.Told::to)
              .filter(t -> tokens.verify(MailTokens.Purpose.REPLY, r.token(), t))
              .findFirst()
              .orElse(null);
      refuse(
          g,
          who,
          Response.BY_REPLY,
          r.messageId(),
          origin,
          now,
          owner != null
              ? "token for someone else: issued to " + owner + ", reply from " + who
              : "the token was not issued to " + who);
      return;
    }
    if (!r.authPass()) {
      refuse(g, who, Response.BY_REPLY, r.messageId(), origin, now, "DMARC: " + r.authDetail());
      return;
    }
    if ("unack".equals(r.command())) {
      unack(g, who, Response.BY_REPLY, r.messageId(), answer, origin, now);
    } else {
      Duration ttl = r.ttlSeconds() == null ? null : Duration.ofSeconds(r.ttlSeconds());
      ack(g, who, Response.BY_REPLY, r.messageId(), answer, ttl, origin, now);
    }
  }

  private void click(Response.Click r, Origin origin, long now) {
    AckLinks links = w.operators().acks().links();
    if (links == null) {
      refuse(null, null, Response.BY_LINK, null, origin, now, "acknowledge links are off");
      return;
    }
    AckLinks.Checked c = links.verify(r.token(), Instant.ofEpochMilli(now));
    if (!c.ok()) {
      refuse(null, null, Response.BY_LINK, null, origin, now, c.refusal().text());
      return;
    }
    String who = c.link().recipient();
    GroupHead g = find(c.link().ref());
    if (g == null) {
      refuse(null, who, Response.BY_LINK, null, origin, now, over());
      return;
    }
    // Known by what it says, not by its text: base64 has spellings that decode alike.
    AckLinks.Link l = c.link();
    String answer =
        Followup.LINK
            + Fingerprints.hash(
                l.ref().toString()
                    + java.util.HexFormat.of().formatHex(l.ref().groupTag())
                    + "|"
                    + l.recipient()
                    + "|"
                    + l.action()
                    + "|"
                    + l.expires().getEpochSecond(),
                8);
    if (g.followup().answered(answer)) {
      log.info("group {}: link was applied before", g.key());
      return;
    }
    if (c.link().action() == AckLinks.Action.UNACK) {
      unack(g, who, Response.BY_LINK, null, answer, origin, now);
    } else {
      ack(g, who, Response.BY_LINK, null, answer, null, origin, now);
    }
  }

  private void bounce(Response.Bounce b, long now) {
    MailTokens tokens = w.operators().acks().tokens();
    Optional<IncidentRef> ref = tokens == null ? Optional.empty() : MailTokens.ref(b.token());
    GroupHead g = ref.map(this::find).orElse(null);
    if (g == null) {
      // The reader audited the bounce already; nothing is owed to an incident that ended.
      return;
    }
    Followup f = g.followup();
    if (f.answered(b.messageId())) {
      return;
    }
    String owner =
        f.told().stream()
            .map(Followup.Told::to)
            .filter(t -> tokens.verify(MailTokens.Purpose.BOUNCE, b.token(), t))
            .findFirst()
            .orElse(null);
    boolean failed =
        b.recipients().isEmpty()
            || b.recipients().stream().anyMatch(x -> "failed".equals(x.action()));
    if (owner == null || !failed) {
      return;
    }
    if (b.recipients().isEmpty()) {
      // A bounce without a report: the reader could not tell whose it was; the token can.
      auditor.append(ResponseLines.bounced(g, owner, b, now));
    }
    RoutePolicy route = w.routes().get(g.route());
    Followup next = f.bounced(owner, b.messageId());
    g = g.withFollowup(next);
    if (route != null && FollowupSteps.fallbackDue(next, route)) {
      log.info("group {}: every recipient bounced; on-bounce is due", g.key());
      g = mails.lookBy(g, now);
    }
    groups.save(g);
  }

  private void ack(
      GroupHead g,
      String by,
      String channel,
      String replyId,
      String answer,
      Duration ttl,
      Origin origin,
      long now) {
    RoutePolicy route = w.routes().get(g.route());
    Duration lifetime = ttl != null ? ttl : route == null ? null : route.followups().ackTtl();
    long until = lifetime == null ? 0 : now + lifetime.toMillis();
    Followup f = g.followup();
    Followup.Ack a = new Followup.Ack(by, now, channel, until, replyId);
    g = g.withFollowup(f.acknowledged(a, answer));
    if (until > 0) {
      // Looked at when it lapses: reminders and escalation resume then.
      g = mails.lookBy(g, until);
    }
    groups.save(g);
    auditor.append(
        ResponseLines.line(
                g,
                AuditStatus.ACKNOWLEDGED,
                by,
                origin,
                now,
                "acknowledged by " + by + " by " + channel)
            .withAck(ResponseLines.note(g, a)));
    w.observer()
        .acknowledged(g.route(), channel, Duration.ofMillis(Math.max(0, now - f.firstSent())));
    confirm(g, a, false, answer, now);
  }

  private void unack(
      GroupHead g,
      String by,
      String channel,
      String replyId,
      String answer,
      Origin origin,
      long now) {
    Followup f = g.followup();
    if (f.ack() == null) {
      refuse(g, by, channel, replyId, origin, now, "the incident is not acknowledged");
      return;
    }
    RoutePolicy route = w.routes().get(g.route());
    g = g.withFollowup(f.unacknowledged(answer));
    if (route != null) {
      // Reminders and escalation take up where they were.
      g = mails.lookBy(g, FollowupSteps.nextLook(g, route, now));
      if (g.hasFiring() && g.lastSent() > 0) {
        g = mails.lookBy(g, Math.max(now, g.lastSent() + route.repeatInterval().toMillis()));
      }
    }
    groups.save(g);
    Followup.Ack a = new Followup.Ack(by, now, channel, 0, replyId);
    auditor.append(
        ResponseLines.line(
                g,
                AuditStatus.UNACKNOWLEDGED,
                by,
                origin,
                now,
                "acknowledgement withdrawn by " + by)
            .withAck(ResponseLines.note(g, a)));
    confirm(g, a, true, answer, now);
  }

  /** A short mail in the incident's thread to everyone told: who took it on, when, how. */
  private void confirm(GroupHead g, Followup.Ack a, boolean withdrawn, String answer, long now) {
    for (Followup.Told t : g.followup().told()) {
      String root = g.threadRoot() != null ? g.threadRoot() : groups.messageId(g, 1, t.to());
      Notification.Acknowledgement n =
          new Notification.Acknowledgement(
              g.route(),
              t.to(),
              g.key(),
              g.labels(),
              w.messageId("ack", g.key(), Long.toString(g.incident()), answer, t.to()),
              root,
              a.by(),
              a.at(),
              a.channel(),
              a.until(),
              withdrawn,
              now);
      out.accept(
          StageRecords.notification(g.key(), PolicyJson.writeAs(n, Notification.class), now));
    }
  }

  /** The head of the incident a token names, if this task holds it and it is not over. */
  private GroupHead find(IncidentRef ref) {
    GroupHead[] found = {null};
    groups.forEachHead(
        (key, g) -> {
          if (found[0] == null && g.followup() != null && ref.names(key, g.incident())) {
            found[0] = g;
          }
        });
    return found[0];
  }

  private static String over() {
    return "the incident is over: it resolved, or the token names no incident of this deployment";
  }

  private void refuse(
      GroupHead g,
      String who,
      String channel,
      String replyId,
      Origin origin,
      long now,
      String reason) {
    log.info(
        "{} not taken as acknowledgement{}: {}",
        channel,
        g == null ? "" : " of group " + g.key(),
        reason);
    Followup.Ack a = new Followup.Ack(who, now, channel, 0, replyId);
    AuditRecord r = ResponseLines.line(g, AuditStatus.ACK_REFUSED, who, origin, now, reason);
    auditor.append(
        g == null
            ? r.withAck(
                new AuditRecord.AckNote(
                    who, Instant.ofEpochMilli(now), channel, null, replyId, null))
            : r.withAck(ResponseLines.note(g, a)));
  }
}

package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What follows an incident's first mail (issue 18), kept in its group's head: who was told and when
 * (for the confirmation and for escalation mails, which say it), the acknowledgement, the
 * escalation steps sent, and the recipients whose mail bounced. It dies with the head when the
 * incident ends, so an acknowledgement never outlives its incident. Bounded: a route with more
 * recipients than {@link #MAX_TOLD} confirms to the first of them only.
 *
 * @param firstSent when the incident's first mail went; escalation steps count from it
 * @param told who got a mail of the incident, each once, in order
 * @param ack the acknowledgement in force; null for none
 * @param escalated escalation steps sent
 * @param bounced recipients whose mail of the incident bounced
 * @param fallbackSent whether {@code on-bounce} was told
 * @param answered Message-IDs of replies and link tokens' digests already applied, the latest
 *     {@link #MAX_ANSWERED}: one response takes effect once, however often it is read
 */
record Followup(
    long firstSent,
    List<Told> told,
    Ack ack,
    int escalated,
    List<String> bounced,
    boolean fallbackSent,
    List<String> answered) {
  static final int MAX_TOLD = 100;

  /** Answers of acknowledge links begin with this: a withdrawal makes them usable again. */
  static final String LINK = "link:";

  static final int MAX_ANSWERED = 20;

  Followup {
    told = told == null ? List.of() : List.copyOf(told);
    bounced = bounced == null ? List.of() : List.copyOf(bounced);
    answered = answered == null ? List.of() : List.copyOf(answered);
    StateValue.check(escalated >= 0, "escalation steps below 0");
  }

  /**
   * One recipient told.
   *
   * @param step 0 for the route's recipients, n for escalation step n, -1 for {@code on-bounce}
   */
  record Told(String to, long at, int step) {}

  /**
   * An acknowledgement.
   *
   * @param until when it lapses (epoch ms); 0: when the incident resolves
   * @param messageId the reply's Message-ID; null for a link
   */
  record Ack(String by, long at, String channel, long until, String messageId) {
    boolean holdsAt(long now) {
      return until == 0 || now < until;
    }
  }

  static Followup first(long now) {
    return new Followup(now, List.of(), null, 0, List.of(), false, List.of());
  }

  /** Whether someone owns the incident at {@code now}. */
  boolean acknowledgedAt(long now) {
    return ack != null && ack.holdsAt(now);
  }

  /** With {@code to} told at {@code at} by {@code step}, unless already told (or full). */
  Followup tell(String to, long at, int step) {
    String lower = to.toLowerCase(Locale.ROOT);
    if (told.size() >= MAX_TOLD || told.stream().anyMatch(t -> t.to().equals(lower))) {
      return this;
    }
    List<Told> more = new ArrayList<>(told);
    more.add(new Told(lower, at, step));
    return new Followup(firstSent, more, ack, escalated, bounced, fallbackSent, answered);
  }

  boolean wasTold(String to) {
    String lower = to.toLowerCase(Locale.ROOT);
    return told.stream().anyMatch(t -> t.to().equals(lower));
  }

  Followup acknowledged(Ack a, String answer) {
    return new Followup(firstSent, told, a, escalated, bounced, fallbackSent, remember(answer));
  }

  /** Without its acknowledgement; the links applied before may acknowledge again. */
  Followup unacknowledged(String answer) {
    List<String> kept = answered.stream().filter(a -> !a.startsWith(LINK)).toList();
    return new Followup(firstSent, told, null, escalated, bounced, fallbackSent, kept)
        .rememberOnly(answer);
  }

  private Followup rememberOnly(String answer) {
    return new Followup(firstSent, told, ack, escalated, bounced, fallbackSent, remember(answer));
  }

  Followup escalatedTo(int steps) {
    return new Followup(firstSent, told, ack, steps, bounced, fallbackSent, answered);
  }

  Followup bounced(String recipient, String answer) {
    String lower = recipient.toLowerCase(Locale.ROOT);
    List<String> more = new ArrayList<>(bounced);
    if (!more.contains(lower) && more.size() < MAX_TOLD) {
      more.add(lower);
    }
    return new Followup(firstSent, told, ack, escalated, more, fallbackSent, remember(answer));
  }

  Followup fallbackDone() {
    return new Followup(firstSent, told, ack, escalated, bounced, true, answered);
  }

  boolean answered(String answer) {
    return answer != null && answered.contains(answer);
  }

  private List<String> remember(String answer) {
    if (answer == null || answered.contains(answer)) {
      return answered;
    }
    List<String> more = new ArrayList<>(answered);
    more.add(answer.length() > 200 ? answer.substring(0, 200) : answer);
    while (more.size() > MAX_ANSWERED) {
      more.remove(0);
    }
    return more;
  }
}

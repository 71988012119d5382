package io.alertbridge.policy;

import io.alertbridge.config.RouteSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A route's follow-ups (issue 18): its escalation steps, how long an acknowledgement holds, and
 * whom to tell when its mail bounced for everyone. Recipients are resolved when a mail is sent
 * ({@link Audience}), so a watch rota names whoever is on watch then.
 *
 * @param ackTtl null: an acknowledgement holds until the incident resolves
 */
public record Followups(
    List<Step> escalate, Duration ackTtl, List<String> onBounce, Audience audience) {
  public static final Followups NONE = new Followups(List.of(), null, List.of(), Audience.PLAIN);

  public Followups {
    escalate = List.copyOf(escalate);
    onBounce = List.copyOf(onBounce);
    audience = audience == null ? Audience.PLAIN : audience;
  }

  /** One escalation step; {@code to} as configured (addresses, {@code list:NAME}). */
  public record Step(Duration after, List<String> to) {
    public Step {
      to = List.copyOf(to);
    }
  }

  /** Turns configured recipients into addresses at a time: lists, rotas. */
  @FunctionalInterface
  public interface Audience {
    List<String> at(List<String> configured, long now);

    /** Addresses as they are; {@code list:NAME} entries are dropped (tests without lists). */
    Audience PLAIN =
        (configured, now) -> configured.stream().filter(t -> !t.startsWith("list:")).toList();
  }

  static Followups of(RouteSettings s, Audience audience) {
    List<Step> steps = new ArrayList<>();
    for (RouteSettings.EscalationStep e : s.escalate()) {
      steps.add(new Step(e.after(), e.to()));
    }
    return new Followups(steps, s.ackTtl(), s.onBounce(), audience);
  }

  /** Configured recipients through the configuration's lists and rotas, at a time. */
  static Audience lists(io.alertbridge.route.Recipients recipients) {
    return (configured, now) ->
        recipients.resolve(configured, java.time.Instant.ofEpochMilli(now)).stream()
            .map(jakarta.mail.internet.InternetAddress::getAddress)
            .toList();
  }

  /** Step {@code i}'s recipients at {@code now}, lowercased. */
  List<String> stepRecipients(int i, long now) {
    return lower(audience.at(escalate.get(i).to(), now));
  }

  List<String> fallbackRecipients(long now) {
    return lower(audience.at(onBounce, now));
  }

  private static List<String> lower(List<String> in) {
    return in.stream().map(a -> a.toLowerCase(Locale.ROOT)).distinct().toList();
  }
}

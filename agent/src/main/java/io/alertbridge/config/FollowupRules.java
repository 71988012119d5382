package io.alertbridge.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

/** The rules of what follows a mail (issue 18): escalation, acknowledgement and bounce fallback. */
final class FollowupRules {
  /** More steps than a real escalation policy has; each is a mail per recipient. */
  static final int MAX_STEPS = 10;

  private final ConfigValidator v;

  FollowupRules(ConfigValidator v) {
    this.v = v;
  }

  void route(String path, RouteSettings r) {
    List<RouteSettings.EscalationStep> steps = r.escalate();
    if (steps.size() > MAX_STEPS) {
      v.problem(path + ".escalate", steps.size() + " steps", "must have at most " + MAX_STEPS);
    }
    Duration previous = Duration.ZERO;
    for (int i = 0; i < steps.size(); i++) {
      String step = path + ".escalate[" + i + "]";
      RouteSettings.EscalationStep s = steps.get(i);
      if (s == null) {
        v.problem(step, null, "must be a mapping with after and to");
        continue;
      }
      if (s.after() == null || s.after().isZero() || s.after().isNegative()) {
        v.problem(
            step + ".after",
            s.after() == null ? null : Durations.format(s.after()),
            "must be longer than zero");
      } else if (s.after().compareTo(previous) <= 0) {
        v.problem(
            step + ".after",
            Durations.format(s.after()),
            "must be later than the step before (" + Durations.format(previous) + ")");
      } else {
        previous = s.after();
      }
      if (s.to().isEmpty()) {
        v.problem(step + ".to", "[]", "must name at least one recipient or list:NAME");
      }
      for (int j = 0; j < s.to().size(); j++) {
        v.recipient(step + ".to[" + j + "]", s.to().get(j), r.name());
      }
    }
    if (r.ackTtl() != null) {
      v.positive(path + ".ack-ttl", r.ackTtl());
    }
    for (int j = 0; j < r.onBounce().size(); j++) {
      v.recipient(path + ".on-bounce[" + j + "]", r.onBounce().get(j), r.name());
    }
  }

  /** {@code http.public-url} must be absolute http(s), and then a private link key is required. */
  void links(HttpSettings h) {
    if (!h.links()) {
      if (!ConfigValidator.blank(h.linkKeyFile())) {
        v.problem(
            "http.link-key-file",
            ConfigValidator.quote(h.linkKeyFile()),
            "is used only with http.public-url, which is not set");
      }
      return;
    }
    try {
      URI u = new URI(h.publicUrl());
      if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme()))
          || u.getHost() == null
          || u.getQuery() != null
          || u.getFragment() != null) {
        throw new URISyntaxException(h.publicUrl(), "not an absolute http(s) URL");
      }
    } catch (URISyntaxException e) {
      v.problem(
          "http.public-url",
          ConfigValidator.quote(h.publicUrl()),
          "must be an absolute http:// or https:// URL without query, e.g."
              + " https://alertbridge.plant.example");
    }
    if (!h.statusPage()) {
      v.problem(
          "http.public-url",
          ConfigValidator.quote(h.publicUrl()),
          "needs http.listen: the acknowledge page is served there");
    }
    KeyFileRule.check(
        v,
        "http.link-key-file",
        h.linkKeyFile(),
        "the HMAC key of acknowledge links",
        "it signs acknowledge links");
  }
}

package io.alertbridge.web;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator may do over HTTP on a status-page listener: Alertmanager's silence API, the
 * status page's silence forms, and {@code POST /-/reload}.
 */
final class Operator {
  private static final Logger log = LoggerFactory.getLogger(Operator.class);
  static final String RELOAD = "/-/reload";

  private final Writes writes;
  private final SilenceApi api;
  private final SilenceForms forms;
  private final Csrf csrf;

  Operator(Writes writes, StatusPage.Source status) {
    this.writes = writes;
    Instant started = writes.clock().instant().minus(uptime(status));
    this.api = new SilenceApi(writes, status::version, started);
    this.csrf = new Csrf(writes.clock());
    this.forms = new SilenceForms(writes, csrf);
  }

  private static Duration uptime(StatusPage.Source status) {
    Duration d = status.uptime();
    return d == null ? Duration.ZERO : d;
  }

  boolean serves(String path) {
    return path.startsWith(SilenceApi.PREFIX) || SilenceForms.serves(path) || path.equals(RELOAD);
  }

  HttpResponse handle(HttpRequest r) throws java.io.IOException {
    if (r.path().startsWith(SilenceApi.PREFIX)) {
      return api.handle(r);
    }
    if (SilenceForms.serves(r.path())) {
      return forms.handle(r);
    }
    return reload(r);
  }

  /** The status page's silences; the forms only when writes are allowed. */
  String silencesSection() {
    StringBuilder h = new StringBuilder(2048);
    SilenceSection.render(
        h,
        writes.silences().all(),
        writes.clock().instant(),
        writes.tokens() == null ? null : csrf.token());
    return h.toString();
  }

  /** As Alertmanager's: 200 when the new configuration took effect, 500 with why when not. */
  private HttpResponse reload(HttpRequest r) {
    if (!r.method().equals("POST")) {
      return HttpResponse.text(405, "method not allowed: POST\n").with("Allow", "POST");
    }
    WriteGate.Verdict v = WriteGate.bearer(writes.tokens(), r.headers().get("authorization"));
    if (v.refusal() != null) {
      return v.refusal();
    }
    log.info("Configuration reload asked over HTTP by {}", v.author());
    Reloader.Result result = writes.reloader().reload();
    if (result.succeeded()) {
      return HttpResponse.text(200, "configuration reloaded\n");
    }
    StringBuilder why =
        new StringBuilder("configuration not reloaded; the last good one stays in force:\n");
    result.problems().forEach(p -> why.append("- ").append(p).append('\n'));
    return HttpResponse.text(500, why.toString());
  }
}

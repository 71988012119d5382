package io.alertbridge.web;

import io.alertbridge.silence.SilenceStore;
import java.time.Clock;
import java.util.Objects;

/**
 * What the HTTP endpoint may change, and who may change it: the silences (Alertmanager's v2 API and
 * the status page's forms) and the configuration ({@code POST /-/reload}).
 *
 * @param tokens who may write; null when {@code http.auth} is not configured, and then every write
 *     answers 403
 * @param clock for silence states and the status page's remaining times
 */
public record Writes(
    SilenceStore silences, Tokens tokens, Reloader reloader, WriteLog log, Clock clock) {
  public Writes {
    Objects.requireNonNull(silences, "silences");
    Objects.requireNonNull(reloader, "reloader");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(clock, "clock");
  }

  public Writes(SilenceStore silences, Tokens tokens, Reloader reloader, WriteLog log) {
    this(silences, tokens, reloader, log, Clock.systemUTC());
  }
}

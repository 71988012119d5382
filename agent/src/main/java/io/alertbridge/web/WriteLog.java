package io.alertbridge.web;

import io.alertbridge.silence.Silence;

/**
 * Who changed which silence over HTTP, told after the store took the change; the daemon writes it
 * to the audit log ({@code silence-added}, {@code silence-expired}).
 */
public interface WriteLog {
  void silenceAdded(Silence silence, String author);

  void silenceExpired(Silence silence, String author);
}

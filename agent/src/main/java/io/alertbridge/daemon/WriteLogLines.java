package io.alertbridge.daemon;

import io.alertbridge.silence.Silence;
import io.alertbridge.web.WriteLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who changed a silence over HTTP, in the log. The audit lines ({@code silence-added}, {@code
 * silence-expired}) are written by every instance when it sees the change on {@code STATE-silences}
 * ({@link Operators}), whichever way it came, so they are not written here too.
 */
final class WriteLogLines implements WriteLog {
  private static final Logger log = LoggerFactory.getLogger(WriteLogLines.class);

  @Override
  public void silenceAdded(Silence s, String author) {
    log.info(
        "silence {} added by {} over HTTP: {} until {}", s.id(), author, s.matchers(), s.endsAt());
  }

  @Override
  public void silenceExpired(Silence s, String author) {
    log.info("silence {} expired by {} over HTTP", s.id(), author);
  }
}

package io.alertbridge.config;

/**
 * How the daemon logs, on stderr.
 *
 * @param format {@code text} (one readable line per event, the default) or {@code json} (one JSON
 *     object per line with the same fields, for Loki or Elasticsearch)
 * @param mailLines whether each accepted mail gets an INFO line (logger {@code
 *     io.alertbridge.mail}, on by default). The audit log records every mail either way; at
 *     thousands of mails a second the line costs about a tenth of the daemon's CPU
 *     (docs/performance.md), which a busy instance may rather spend on mail
 */
public record LoggingSettings(String format, Boolean mailLines) {
  public static final LoggingSettings DEFAULTS = new LoggingSettings(null, null);

  /** The logger of the per-mail lines, so that they can be switched off on their own. */
  public static final String MAIL_LOGGER = "io.alertbridge.mail";

  public LoggingSettings {
    format = format == null ? "text" : format;
    mailLines = mailLines == null ? Boolean.TRUE : mailLines;
  }

  public boolean json() {
    return format.equals("json");
  }
}

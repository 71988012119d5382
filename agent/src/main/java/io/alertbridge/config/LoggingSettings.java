package io.alertbridge.config;

/**
 * How the daemon logs, on stderr.
 *
 * @param format {@code text} (one readable line per event, the default) or {@code json} (one JSON
 *     object per line with the same fields, for Loki or Elasticsearch)
 */
public record LoggingSettings(String format) {
  public static final LoggingSettings DEFAULTS = new LoggingSettings(null);

  public LoggingSettings {
    format = format == null ? "text" : format;
  }

  public boolean json() {
    return format.equals("json");
  }
}

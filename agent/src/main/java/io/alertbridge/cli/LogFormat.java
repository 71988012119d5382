package io.alertbridge.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.alertbridge.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging} once the configuration is read: the per-mail lines off ({@code
 * mail-lines: false}), and the log as one JSON object per line ({@code format: json}), logback's
 * own JSON encoder with the fields of the text line (time, level, thread, logger, message,
 * exception).
 */
final class LogFormat {
  static final String APPENDER = "STDERR";

  private LogFormat() {}

  static void apply(LoggingSettings settings) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    if (!settings.mailLines()) {
      ctx.getLogger(LoggingSettings.MAIL_LOGGER).setLevel(ch.qos.logback.classic.Level.WARN);
    }
    if (!settings.json()) {
      return;
    }
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(ctx);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMarkers(false);
    encoder.setWithMDC(false);
    encoder.setWithKVPList(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
    json.setContext(ctx);
    json.setName(APPENDER);
    json.setTarget("System.err");
    json.setEncoder(encoder);
    json.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(APPENDER);
    root.addAppender(json);
  }
}

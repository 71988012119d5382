package io.alertbridge.smtp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server reply: the basic code, the enhanced status code of RFC 3463 when the server sent one,
 * and the text that follows them. Multi-line replies keep every line's text, joined by newlines.
 */
public record SmtpReply(int code, Optional<String> enhancedStatus, String text) {
  private static final Pattern LINE = Pattern.compile("^(\\d{3})[ -]?(.*)$");
  private static final Pattern ENHANCED =
      Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s+|$)");

  /** Parses a reply as the server sent it ({@code 250 2.0.0 Ok: queued as X}); code 0 if none. */
  public static SmtpReply parse(String raw) {
    if (raw == null) {
      return new SmtpReply(0, Optional.empty(), "");
    }
    int code = 0;
    String enhanced = null;
    StringBuilder text = new StringBuilder();
    for (String line : raw.strip().split("\\r?\\n")) {
      Matcher m = LINE.matcher(line);
      String rest = line;
      if (m.matches()) {
        code = Integer.parseInt(m.group(1));
        rest = m.group(2);
      }
      Matcher e = ENHANCED.matcher(rest);
      if (e.find()) {
        enhanced = enhanced == null ? e.group(1) : enhanced;
        rest = rest.substring(e.end());
      }
      text.append(text.length() == 0 ? "" : "\n").append(rest);
    }
    return new SmtpReply(code, Optional.ofNullable(enhanced), text.toString());
  }

  public boolean isPositiveCompletion() {
    return code >= 200 && code < 300;
  }

  public boolean isTransientFailure() {
    return code >= 400 && code < 500;
  }

  public boolean isPermanentFailure() {
    return code >= 500 && code < 600;
  }

  @Override
  public String toString() {
    return code + enhancedStatus.map(s -> " " + s).orElse("") + (text.isEmpty() ? "" : " " + text);
  }
}

package io.alertbridge.render;

/**
 * Makes event-derived text safe for a header. Every control character (CR and LF included) and the
 * Unicode line and paragraph separators become a space, so a value can never end a header and start
 * a new one; runs of white space collapse and the result is capped.
 */
public final class HeaderText {
  static final int MAX_LENGTH = 250;

  private HeaderText() {}

  public static String sanitize(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    boolean space = false;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean blank =
          Character.isISOControl(c) || Character.isWhitespace(c) || c == '\u2028' || c == '\u2029';
      if (blank) {
        space = sb.length() > 0;
        continue;
      }
      if (space) {
        sb.append(' ');
        space = false;
      }
      sb.append(c);
    }
    if (sb.length() > MAX_LENGTH) {
      int end = MAX_LENGTH - 1;
      if (Character.isHighSurrogate(sb.charAt(end - 1))) {
        end--;
      }
      return sb.substring(0, end) + "\u2026";
    }
    return sb.toString();
  }
}

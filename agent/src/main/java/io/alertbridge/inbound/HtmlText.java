package io.alertbridge.inbound;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an HTML reply, good enough to find its first line: the quoted original cut off, block
 * elements turned into line breaks, other tags dropped, common entities decoded.
 *
 * <p>A scanner, not regular expressions over tags: {@code <[^>]*\bclass=} takes 40 seconds on 64
 * KiB of {@code <div } without a {@code >}, and the HTML is written by strangers. Every step here
 * is linear in the length of the text.
 */
final class HtmlText {
  private static final List<String> INVISIBLE = List.of("head", "style", "script", "title");

  /** Where clients start the quoted original: Gmail, Apple Mail, Thunderbird, Outlook. */
  private static final List<String> QUOTE_MARKERS =
      List.of(
          "<blockquote", "gmail_quote", "moz-cite-prefix", "divrplyfwdmsg", "appendonsend", "<hr");

  private static final Set<String> BLOCK =
      Set.of(
          "br",
          "p",
          "div",
          "tr",
          "li",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "table",
          "pre",
          "blockquote");
  private static final Pattern NUMERIC = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

  private HtmlText() {}

  /** The text of a reply above its quoted original. */
  static String reply(String html) {
    String s = withoutInvisible(html);
    String lower = s.toLowerCase(Locale.ROOT);
    int cut = s.length();
    for (String marker : QUOTE_MARKERS) {
      int at = lower.indexOf(marker);
      if (at >= 0 && at < cut) {
        // Cut at the tag that carries the marker (a class or id attribute).
        int tag = s.lastIndexOf('<', at);
        cut = tag >= 0 ? tag : at;
      }
    }
    return text(s.substring(0, cut));
  }

  /** All the text, as in a bounce that quotes the original's headers. */
  static String all(String html) {
    return text(withoutInvisible(html));
  }

  /** Drops comments and the elements whose content is not text: head, style, script, title. */
  private static String withoutInvisible(String html) {
    String s = cutBetween(html, "<!--", "-->", false);
    for (String name : INVISIBLE) {
      s = cutBetween(s, "<" + name, "</" + name, true);
    }
    return s;
  }

  /**
   * Removes each stretch from {@code open} to just past the next {@code close} (or the end).
   *
   * @param element whether {@code open} is an element's name, which must end there: {@code <head}
   *     is not the start of {@code <header>}
   */
  private static String cutBetween(String s, String open, String close, boolean element) {
    String lower = s.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(s.length());
    int from = 0;
    while (true) {
      int start = lower.indexOf(open, from);
      while (element && start >= 0 && continuesName(s, start + open.length())) {
        start = lower.indexOf(open, start + 1);
      }
      if (start < 0) {
        break;
      }
      b.append(s, from, start).append(' ');
      int end = lower.indexOf(close, start + open.length());
      if (end < 0) {
        return b.toString();
      }
      int gt = lower.indexOf('>', end + close.length() - 1);
      from = gt < 0 ? s.length() : gt + 1;
    }
    return b.append(s, from, s.length()).toString();
  }

  private static boolean continuesName(String s, int at) {
    return at < s.length() && Character.isLetterOrDigit(s.charAt(at));
  }

  private static String text(String html) {
    StringBuilder b = new StringBuilder(html.length());
    int i = 0;
    while (i < html.length()) {
      char c = html.charAt(i);
      if (c != '<') {
        b.append(c);
        i++;
        continue;
      }
      int gt = html.indexOf('>', i);
      if (gt < 0) {
        break; // an unclosed tag to the end: no text follows
      }
      if (BLOCK.contains(tagName(html, i + 1, gt))) {
        b.append('\n');
      }
      i = gt + 1;
    }
    return entities(b.toString());
  }

  private static String tagName(String html, int from, int to) {
    int start = from;
    while (start < to && (html.charAt(start) == '/' || html.charAt(start) == ' ')) {
      start++;
    }
    int end = start;
    while (end < to && Character.isLetterOrDigit(html.charAt(end))) {
      end++;
    }
    return html.substring(start, end).toLowerCase(Locale.ROOT);
  }

  private static String entities(String s) {
    String named =
        s.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'");
    Matcher m = NUMERIC.matcher(named);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String n = m.group(1);
      int cp = n.startsWith("x") ? Integer.parseInt(n.substring(1), 16) : Integer.parseInt(n);
      String repl = Character.isValidCodePoint(cp) ? Character.toString(cp) : "\ufffd";
      m.appendReplacement(b, Matcher.quoteReplacement(repl));
    }
    m.appendTail(b);
    // &amp; last, so "&amp;lt;" stays the text "&lt;".
    return b.toString().replace("&amp;", "&");
  }
}

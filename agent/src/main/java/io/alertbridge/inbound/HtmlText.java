package io.alertbridge.inbound;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an HTML reply, good enough to find its first line: the quoted original cut off, block
 * elements turned into line breaks, other tags dropped, common entities decoded.
 */
final class HtmlText {
  private static final Pattern INVISIBLE =
      Pattern.compile("(?is)<(head|style|script|title)\\b.*?</\\1\\s*>|<!--.*?-->");

  /** Where clients start the quoted original: Gmail, Apple Mail, Thunderbird, Outlook. */
  private static final Pattern QUOTE_START =
      Pattern.compile(
          "(?is)<blockquote\\b|<div[^>]*\\bclass=\"?[^\">]*(gmail_quote|moz-cite-prefix)"
              + "|<[^>]*\\bid=\"?(divRplyFwdMsg|appendonsend)|<hr\\b");

  private static final Pattern BLOCK =
      Pattern.compile("(?i)<\\s*/?\\s*(br|p|div|tr|li|h[1-6]|table|pre|blockquote)\\b[^>]*>");
  private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
  private static final Pattern NUMERIC = Pattern.compile("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});");

  private HtmlText() {}

  /** The text of a reply above its quoted original. */
  static String reply(String html) {
    String s = INVISIBLE.matcher(html).replaceAll(" ");
    Matcher quote = QUOTE_START.matcher(s);
    return text(quote.find() ? s.substring(0, quote.start()) : s);
  }

  /** All the text, as in a bounce that quotes the original's headers. */
  static String all(String html) {
    return text(INVISIBLE.matcher(html).replaceAll(" "));
  }

  private static String text(String html) {
    String s = BLOCK.matcher(html).replaceAll("\n");
    s = TAG.matcher(s).replaceAll("");
    return entities(s);
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

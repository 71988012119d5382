package io.alertbridge.render;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The follow-up parts of a mail (issue 18), added after its template so that every template gets
 * them: why this mail went to someone new (an escalation, an unreachable recipient), and how to
 * acknowledge it: by reply, or by the "Acknowledge" link in the HTML part.
 */
public final class FollowupText {
  private FollowupText() {}

  /**
   * What to add.
   *
   * @param prefix put before the subject, e.g. {@code [ESCALATED]}; null for none
   * @param notes paragraphs that open the text (why this mail), plain text
   * @param replyHint whether replying {@code ack} acknowledges
   * @param ackLink the acknowledge link; null for none
   */
  public record Parts(String prefix, List<String> notes, boolean replyHint, String ackLink) {
    public static final Parts NONE = new Parts(null, List.of(), false, null);

    public Parts {
      notes = notes == null ? List.of() : List.copyOf(notes);
    }
  }

  static RenderedContent apply(RenderedContent c, Parts p) {
    if (p == null || p == Parts.NONE) {
      return c;
    }
    String subject = c.subject();
    if (p.prefix() != null && !subject.startsWith(p.prefix())) {
      // Before the template's own tag, which still says what the alert is ([CRITICAL]).
      subject = p.prefix() + " " + subject;
    }
    StringBuilder textTop = new StringBuilder();
    StringBuilder htmlTop = new StringBuilder();
    for (String n : p.notes()) {
      textTop.append(n).append("\n\n");
      htmlTop.append("<p><strong>").append(escape(n)).append("</strong></p>");
    }
    StringBuilder textEnd = new StringBuilder();
    StringBuilder htmlEnd = new StringBuilder();
    if (p.replyHint()) {
      String hint = "To acknowledge, reply with \"ack\" (or \"ack 2h\") as the first line.";
      textEnd.append("\n").append(hint).append("\n");
      htmlEnd.append("<p style=\"font-size:smaller\">").append(escape(hint)).append("</p>");
    }
    if (p.ackLink() != null) {
      textEnd.append("Acknowledge: ").append(p.ackLink()).append("\n");
      htmlEnd
          .append("<p><a href=\"")
          .append(escape(p.ackLink()))
          .append("\" style=\"font-weight:bold\">Acknowledge</a></p>");
    }
    Optional<String> text = c.text().map(t -> textTop + t + textEnd);
    Optional<String> html =
        c.html().map(h -> insertEnd(insertTop(h, htmlTop.toString()), htmlEnd.toString()));
    if (text.isEmpty() && html.isEmpty()) {
      text = Optional.of(textTop.toString() + textEnd);
    }
    return new RenderedContent(subject, text, html);
  }

  private static String insertTop(String html, String block) {
    if (block.isEmpty()) {
      return html;
    }
    String lower = html.toLowerCase(Locale.ROOT);
    int body = lower.indexOf("<body");
    int at = body < 0 ? 0 : lower.indexOf('>', body) + 1;
    return html.substring(0, at) + block + html.substring(at);
  }

  private static String insertEnd(String html, String block) {
    int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
    return end < 0 ? html + block : html.substring(0, end) + block + html.substring(end);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}

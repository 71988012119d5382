package io.alertbridge.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises automatic messages (RFC 3834 and the headers common responders set instead). They
 * never acknowledge and are never answered: answering an automatic message is how mail loops start,
 * and alertbridge's own confirmations carry {@code Auto-Submitted: auto-replied}.
 */
final class AutoReply {
  private static final Set<String> PRECEDENCE = Set.of("bulk", "junk", "list", "auto_reply");

  /** Outlook, Exchange and common vacation responders, in English and German. */
  private static final Pattern SUBJECT =
      Pattern.compile(
          "(auto:|automatic reply|autoreply|auto-reply|out of (the )?office"
              + "|automatische antwort|abwesenheitsnotiz).*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private AutoReply() {}

  /** Why the message is automatic (the header that says so), or empty. */
  static Optional<String> detect(Part m) throws MessagingException {
    String submitted = first(m, "Auto-Submitted");
    if (submitted != null && !word(submitted).equals("no")) {
      // RFC 3834 §5: any value but "no" marks an automatic message.
      return Optional.of("Auto-Submitted: " + word(submitted));
    }
    String precedence = first(m, "Precedence");
    if (precedence != null && PRECEDENCE.contains(word(precedence))) {
      return Optional.of("Precedence: " + word(precedence));
    }
    if (first(m, "X-Autoreply") != null) {
      return Optional.of("X-Autoreply");
    }
    if (first(m, "X-Autorespond") != null) {
      return Optional.of("X-Autorespond");
    }
    String suppress = first(m, "X-Auto-Response-Suppress");
    if (suppress != null) {
      for (String v : suppress.split(",")) {
        String w = v.trim().toLowerCase(Locale.ROOT);
        if (w.equals("all") || w.equals("oof")) {
          return Optional.of("X-Auto-Response-Suppress: " + v.trim());
        }
      }
    }
    String subject = first(m, "Subject");
    if (subject != null && SUBJECT.matcher(subject.trim()).matches()) {
      return Optional.of("an out-of-office subject");
    }
    return Optional.empty();
  }

  /**
   * The first word of a header value, lowercased: {@code auto-replied (vacation)} → auto-replied.
   */
  private static String word(String value) {
    String w = value.trim().split("[\\s;(]", 2)[0];
    return w.toLowerCase(Locale.ROOT);
  }

  static String first(Part m, String name) throws MessagingException {
    String[] values = m.getHeader(name);
    return values == null || values.length == 0 ? null : values[0];
  }
}

package io.alertbridge.smtp;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the queue ID from the reply to the end of DATA, the identifier an MTA logs for the
 * message and the one an auditor greps the mail logs for. The patterns are tried in order on the
 * reply text after its codes.
 */
public final class QueueIds {
  private static final List<Pattern> PATTERNS =
      List.of(
          // Postfix: "Ok: queued as D863060BD9" (also long queue ids, e.g. 4bV9Qk1nQwz9sWK)
          Pattern.compile("queued as ([A-Za-z0-9]+)"),
          // Exim: "OK id=1r6Bwm-000000002h3-2n4V"
          Pattern.compile("\\bid=([A-Za-z0-9-]+)"),
          // Exchange / Microsoft 365: "<msgid> [InternalId=12345, Hostname=...] Queued mail..."
          Pattern.compile("InternalId=(\\d+)"),
          // Gmail: "OK  1731389794 ffacd0b85a97d-381ed975a54si7856017f8f.119 - gsmtp"
          Pattern.compile("(\\S+) - gsmtp\\s*$"),
          // Sendmail and OpenSMTPD: "xASDFx123456 Message accepted for delivery"
          Pattern.compile("^(\\S+) Message accepted for delivery"),
          // Amazon SES: "Ok 010001727bf05c7f-...-000000"
          Pattern.compile("^(?i:ok) ([0-9a-f]{16}-[0-9a-f-]+)\\s*$"));

  private QueueIds() {}

  public static Optional<String> parse(SmtpReply reply) {
    for (String line : reply.text().split("\n")) {
      for (Pattern p : PATTERNS) {
        Matcher m = p.matcher(line.strip());
        if (m.find()) {
          return Optional.of(m.group(1));
        }
      }
    }
    return Optional.empty();
  }
}

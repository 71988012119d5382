package io.alertbridge.address;

import io.alertbridge.address.ProbeResult.Outcome;
import io.alertbridge.smtp.SmtpDialog;
import io.alertbridge.smtp.SmtpReply;
import jakarta.mail.MessagingException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Asks a mail server whether it would accept an address, without sending anything: EHLO, {@code
 * MAIL FROM}, {@code RCPT TO} a random local part (to detect catch-all), {@code RCPT TO} the real
 * address, RSET, QUIT. Never DATA. A server that hangs up after refusing a recipient is reconnected
 * to once.
 */
public final class MailboxProbe {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SmtpDialog.Settings settings;
  private final String sender;

  /**
   * @param sender the MAIL FROM address, or empty for the null sender {@code <>}
   */
  public MailboxProbe(SmtpDialog.Settings settings, String sender) {
    this.settings = settings;
    this.sender = sender;
  }

  /** Probes the first of {@code targets} that accepts a connection. */
  public ProbeResult probe(String address, String domain, List<SmtpTarget> targets) {
    return probe(address, domain, targets, false);
  }

  /**
   * @param needsUtf8 the address is internationalised: MAIL FROM carries SMTPUTF8 (RFC 6531), and a
   *     server without that extension is not asked about it at all
   */
  public ProbeResult probe(
      String address, String domain, List<SmtpTarget> targets, boolean needsUtf8) {
    List<String> transcript = new ArrayList<>();
    for (SmtpTarget t : targets) {
      SmtpDialog dialog;
      try {
        dialog = SmtpDialog.open(t.host(), t.port(), settings, transcript, needsUtf8);
      } catch (MessagingException e) {
        transcript.add("(" + t + " unreachable: " + rootMessage(e) + ")");
        continue;
      }
      return new Session(t, dialog, transcript, needsUtf8).run(address, domain);
    }
    return new ProbeResult(
        targets.isEmpty() ? null : targets.get(0).toString(),
        transcript,
        null,
        null,
        Outcome.UNREACHABLE,
        "no mail host accepted a connection",
        false);
  }

  static String randomLocalPart() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "alertbridge-probe-" + HexFormat.of().formatHex(b);
  }

  private static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + c + ")";
  }

  /** One conversation with one server. */
  private final class Session {
    private final SmtpTarget target;
    private final List<String> transcript;
    private final boolean needsUtf8;
    private SmtpDialog dialog;
    private boolean reconnected;

    Session(SmtpTarget target, SmtpDialog dialog, List<String> transcript, boolean needsUtf8) {
      this.target = target;
      this.dialog = dialog;
      this.transcript = transcript;
      this.needsUtf8 = needsUtf8;
    }

    ProbeResult run(String address, String domain) {
      boolean utf8 = dialog.supports("SMTPUTF8");
      if (needsUtf8 && !utf8) {
        dialog.close();
        return result(
            null,
            null,
            Outcome.SMTPUTF8_UNSUPPORTED,
            "the address needs SMTPUTF8, which the server does not announce",
            false);
      }
      try {
        SmtpReply mail = mailFrom();
        if (!mail.isPositiveCompletion()) {
          return result(
              null,
              null,
              mail.isTransientFailure() ? Outcome.TRY_LATER : Outcome.SENDER_REFUSED,
              "MAIL FROM refused: " + mail,
              utf8);
        }
        SmtpReply random = rcpt(randomLocalPart() + "@" + domain);
        boolean catchAll = random.isPositiveCompletion();
        SmtpReply real = rcpt(address);
        dialog.command("RSET");
        if (real.isPositiveCompletion()) {
          return result(
              catchAll,
              true,
              catchAll ? Outcome.ACCEPT_ALL : Outcome.DELIVERABLE,
              catchAll
                  ? "the server accepts any address (catch-all): " + real
                  : "the server accepts the address: " + real,
              utf8);
        }
        if (real.isPermanentFailure()) {
          return result(
              catchAll,
              false,
              Outcome.UNDELIVERABLE,
              "the server refused the address: " + real,
              utf8);
        }
        return result(
            catchAll,
            null,
            real.code() < 0 ? Outcome.UNREACHABLE : Outcome.TRY_LATER,
            "no definite answer, try later: " + real,
            utf8);
      } catch (MessagingException e) {
        return result(
            null, null, Outcome.UNREACHABLE, "the session failed: " + rootMessage(e), utf8);
      } finally {
        dialog.close();
      }
    }

    private SmtpReply mailFrom() throws MessagingException {
      return dialog.command("MAIL FROM:<" + sender + ">" + (needsUtf8 ? " SMTPUTF8" : ""));
    }

    /** RCPT TO; if the server hung up (after refusing the previous one), reconnect once. */
    private SmtpReply rcpt(String address) throws MessagingException {
      SmtpReply r;
      try {
        r = dialog.command("RCPT TO:<" + address + ">");
      } catch (MessagingException e) {
        r = new SmtpReply(-1, java.util.Optional.empty(), rootMessage(e));
      }
      if (r.code() >= 0 || reconnected) {
        return r;
      }
      reconnected = true;
      dialog.close();
      transcript.add("(connection lost; reconnecting)");
      dialog = SmtpDialog.open(target.host(), target.port(), settings, transcript, needsUtf8);
      SmtpReply mail = mailFrom();
      return mail.isPositiveCompletion() ? dialog.command("RCPT TO:<" + address + ">") : mail;
    }

    private ProbeResult result(
        Boolean catchAll, Boolean deliverable, Outcome outcome, String detail, boolean utf8) {
      return new ProbeResult(
          target.toString(), transcript, catchAll, deliverable, outcome, detail, utf8);
    }
  }
}

package io.alertbridge.smtp;

import java.nio.charset.StandardCharsets;

/**
 * The ESMTP parameters that ask for delivery status notifications (RFC 3461), so that a bounce two
 * hops later comes back to the bounce mailbox in a form that names the alert and the recipient.
 */
final class DsnParameters {
  /** RFC 3461 §4.4: an ENVID is at most 100 characters. */
  static final int MAX_ENVELOPE_ID = 100;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private DsnParameters() {}

  /**
   * Checks an envelope id that goes into {@code ENVID=} as it is: printable ASCII that needs no
   * xtext encoding (no space, {@code +} or {@code =}), so the id a report quotes back in {@code
   * Original-Envelope-Id} is the very string we sent.
   *
   * @throws IllegalArgumentException when it is empty, longer than 100 characters, or not
   *     xtext-safe
   */
  static String checkEnvelopeId(String id) {
    if (id.isEmpty() || id.length() > MAX_ENVELOPE_ID) {
      throw new IllegalArgumentException(
          "a DSN envelope id must have 1 to "
              + MAX_ENVELOPE_ID
              + " characters (RFC 3461 §4.4), found "
              + id.length());
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!isXchar(c)) {
        throw new IllegalArgumentException(
            "a DSN envelope id must be printable ASCII without space, '+' or '=' (RFC 3461 §4 xtext),"
                + " found character 0x"
                + Integer.toHexString(c)
                + " at index "
                + i);
      }
    }
    return id;
  }

  /**
   * What MAIL FROM carries: only the headers come back in a report (RET=HDRS). The Message-ID and
   * our own headers are enough to trace the alert; the whole alert coming back would only fill the
   * bounce mailbox with copies of what was already sent.
   */
  static String mailFrom(String envelopeId) {
    return " RET=HDRS ENVID=" + envelopeId;
  }

  /**
   * What each RCPT TO carries. FAILURE for the {@code bounced} audit line, DELAY for {@code
   * delayed}; never SUCCESS, which would send a report for every delivered alert (issue 18). ORCPT
   * names the recipient as we addressed it, so a report is traced to the right person even after
   * aliases and forwarding rewrote the address.
   *
   * <p>ORCPT's {@code rfc822} type holds an ASCII address (RFC 3461 §4.2); an internationalised
   * address would need the {@code utf-8} type of RFC 6533 and SMTPUTF8, so it goes without ORCPT
   * rather than with a type the server would refuse.
   */
  static String rcptTo(String address) {
    String notify = " NOTIFY=FAILURE,DELAY";
    return StandardCharsets.US_ASCII.newEncoder().canEncode(address)
        ? notify + " ORCPT=rfc822;" + xtext(address)
        : notify;
  }

  /**
   * RFC 3461 §4 xtext: every character outside {@code !}..{@code ~}, and {@code +} and {@code =}
   * themselves, as {@code +} and two upper-case hex digits. ASCII input only.
   */
  static String xtext(String ascii) {
    StringBuilder sb = new StringBuilder(ascii.length() + 8);
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c > 0x7f) {
        throw new IllegalArgumentException("xtext encodes ASCII only");
      }
      if (isXchar(c)) {
        sb.append(c);
      } else {
        sb.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  private static boolean isXchar(char c) {
    return c >= '!' && c <= '~' && c != '+' && c != '=';
  }
}

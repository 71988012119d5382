package io.alertbridge.ack;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The tokens in a mail's sub-addresses ({@code alerts+TOKEN@…} for replies, {@code bounces+TOKEN@…}
 * for the envelope sender): an {@link IncidentRef} and a truncated HMAC over it and the recipient
 * the mail went to. Unguessable without the key, bound to one incident and one recipient, and short
 * enough for a local part (RFC 5321 §4.5.3.1.1: 64 octets): {@value #LENGTH} characters of
 * lowercase base32, which survives servers that fold the case of local parts.
 *
 * <p>The recipient is not in the token: a reply names it in {@code From}, which must then verify;
 * the token of a reply from someone else verifies for nobody but the one it was given to.
 */
public final class MailTokens {
  /** What a token answers; each signs under its own name, so one is never taken for the other. */
  public enum Purpose {
    REPLY,
    BOUNCE
  }

  static final int MAC_BYTES = 10;
  static final int BYTES = IncidentRef.BYTES + MAC_BYTES;
  public static final int LENGTH = (BYTES * 8 + 4) / 5;

  private final TokenKey key;

  public MailTokens(TokenKey key) {
    this.key = key;
  }

  public String issue(Purpose purpose, IncidentRef ref, String recipient) {
    byte[] body = ref.bytes();
    byte[] mac = mac(purpose, body, recipient);
    byte[] all = Arrays.copyOf(body, BYTES);
    System.arraycopy(mac, 0, all, body.length, MAC_BYTES);
    return Base32.encode(all);
  }

  /**
   * The incident a token names, from its shape alone: where to send the response. Says nothing of
   * whether it is genuine; {@link #verify} does.
   */
  public static Optional<IncidentRef> ref(String token) {
    byte[] b = bytes(token);
    return b == null ? Optional.empty() : Optional.of(IncidentRef.read(b, 0));
  }

  /** Whether {@code token} was issued for this purpose to {@code recipient} (case-insensitive). */
  public boolean verify(Purpose purpose, String token, String recipient) {
    byte[] b = bytes(token);
    if (b == null || recipient == null) {
      return false;
    }
    byte[] body = Arrays.copyOf(b, IncidentRef.BYTES);
    byte[] given = Arrays.copyOfRange(b, IncidentRef.BYTES, BYTES);
    return TokenKey.matches(mac(purpose, body, recipient), given, MAC_BYTES);
  }

  private byte[] mac(Purpose purpose, byte[] body, String recipient) {
    return key.sign(
        purpose.name(), body, recipient.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String token) {
    if (token == null || token.length() != LENGTH) {
      return null;
    }
    byte[] b = Base32.decode(token.toLowerCase(Locale.ROOT));
    return b == null || b.length != BYTES ? null : b;
  }

  /** A short, harmless prefix for logs: a whole token acknowledges. */
  public static String redact(String token) {
    if (token == null) {
      return "null";
    }
    return token.substring(0, Math.min(6, token.length())) + "…";
  }
}

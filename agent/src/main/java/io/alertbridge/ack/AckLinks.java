package io.alertbridge.ack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * The token of an "Acknowledge" link: incident, recipient, action and expiry, signed. Unlike a
 * reply there is no {@code From} to check, so the recipient travels in the token and the signature
 * is the whole proof; a link forwarded to someone else acknowledges as the one it was sent to, as
 * with every on-call tool's links. Expired links and altered tokens are refused.
 */
public final class AckLinks {
  public enum Action {
    ACK,
    UNACK
  }

  /** A verified link. */
  public record Link(IncidentRef ref, String recipient, Action action, Instant expires) {}

  /** Why a link was refused; the page says it in words. */
  public enum Refusal {
    MALFORMED("the link is damaged or was altered"),
    ALTERED("the link is damaged or was altered"),
    EXPIRED("the link has expired");

    private final String text;

    Refusal(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  /** The outcome of {@link #verify}: a link or a refusal. */
  public record Checked(Link link, Refusal refusal) {
    public boolean ok() {
      return link != null;
    }
  }

  static final int MAC_BYTES = 16;
  private static final int MAX_RECIPIENT = 254;

  private final TokenKey key;

  public AckLinks(TokenKey key) {
    this.key = key;
  }

  public String issue(IncidentRef ref, String recipient, Action action, Instant expires) {
    byte[] r = recipient.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    if (r.length > MAX_RECIPIENT) {
      throw new IllegalArgumentException("recipient longer than " + MAX_RECIPIENT + " bytes");
    }
    ByteBuffer body = ByteBuffer.allocate(1 + IncidentRef.BYTES + 8 + 1 + r.length);
    body.put((byte) action.ordinal()).put(ref.bytes()).putLong(expires.getEpochSecond());
    body.put((byte) r.length).put(r);
    byte[] b = body.array();
    byte[] mac = Arrays.copyOf(key.sign("LINK", b), MAC_BYTES);
    byte[] all = Arrays.copyOf(b, b.length + MAC_BYTES);
    System.arraycopy(mac, 0, all, b.length, MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
  }

  public Checked verify(String token, Instant now) {
    byte[] all;
    try {
      all = token == null || token.length() > 600 ? null : Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      all = null;
    }
    int fixed = 1 + IncidentRef.BYTES + 8 + 1;
    if (all == null || all.length < fixed + MAC_BYTES) {
      return new Checked(null, Refusal.MALFORMED);
    }
    byte[] body = Arrays.copyOf(all, all.length - MAC_BYTES);
    byte[] given = Arrays.copyOfRange(all, all.length - MAC_BYTES, all.length);
    if (!TokenKey.matches(key.sign("LINK", body), given, MAC_BYTES)) {
      return new Checked(null, Refusal.ALTERED);
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    int action = b.get();
    IncidentRef ref = IncidentRef.read(body, 1);
    b.position(1 + IncidentRef.BYTES);
    Instant expires = Instant.ofEpochSecond(b.getLong());
    int n = b.get() & 0xFF;
    if (action < 0 || action >= Action.values().length || b.remaining() != n) {
      return new Checked(null, Refusal.MALFORMED);
    }
    byte[] r = new byte[n];
    b.get(r);
    if (!now.isBefore(expires)) {
      return new Checked(null, Refusal.EXPIRED);
    }
    return new Checked(
        new Link(ref, new String(r, StandardCharsets.UTF_8), Action.values()[action], expires),
        null);
  }
}

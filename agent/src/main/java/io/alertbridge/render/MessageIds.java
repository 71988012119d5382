package io.alertbridge.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Message-IDs derived from the event id and the route, so that a redelivered record produces the
 * same Message-ID and mail clients and auditors can recognise the duplicate.
 */
public final class MessageIds {
  private MessageIds() {}

  public static String of(String eventId, String routeName, String domain) {
    byte[] digest = sha256(eventId + '\u0000' + routeName);
    return "<" + HexFormat.of().formatHex(digest, 0, 16) + ".alertbridge@" + domain + ">";
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

package io.alertbridge.policy;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.IncidentRef;
import io.alertbridge.ack.MailTokens;
import java.time.Duration;
import java.time.Instant;

/**
 * Where answers to a mail come back (issue 18): its Reply-To ({@code inbound.reply-address} with a
 * token for this incident and recipient), its envelope sender ({@code inbound.bounce-address},
 * likewise) and its acknowledge link ({@code http.public-url}). Parts that are not configured are
 * null, and the mail simply goes without them.
 *
 * @param replyAddress with {@code {token}} in its local part; null with {@code tokens}
 * @param linkLifetime how long a link acknowledges
 */
public record ResponseAddresses(
    MailTokens tokens,
    String replyAddress,
    String bounceAddress,
    AckLinks links,
    String publicUrl,
    Duration linkLifetime) {
  public static final ResponseAddresses NONE =
      new ResponseAddresses(null, null, null, null, null, null);

  /** Links acknowledge for a week: longer than any watch, shorter than a forgotten inbox. */
  public static final Duration LINK_LIFETIME = Duration.ofDays(7);

  /** The path under {@code http.public-url} that shows the acknowledge page of a token. */
  public static final String LINK_PATH = "/ack/";

  public ResponseAddresses {
    linkLifetime = linkLifetime == null ? LINK_LIFETIME : linkLifetime;
    if (publicUrl != null && publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
  }

  String replyTo(IncidentRef ref, String to) {
    return tokens == null || replyAddress == null
        ? null
        : replyAddress.replace("{token}", tokens.issue(MailTokens.Purpose.REPLY, ref, to));
  }

  String bounceFrom(IncidentRef ref, String to) {
    return tokens == null || bounceAddress == null
        ? null
        : bounceAddress.replace("{token}", tokens.issue(MailTokens.Purpose.BOUNCE, ref, to));
  }

  String link(IncidentRef ref, String to, long created) {
    if (links == null || publicUrl == null) {
      return null;
    }
    Instant expires = Instant.ofEpochMilli(created).plus(linkLifetime);
    return publicUrl + LINK_PATH + links.issue(ref, to, AckLinks.Action.ACK, expires);
  }
}

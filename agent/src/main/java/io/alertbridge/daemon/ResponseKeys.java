package io.alertbridge.daemon;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.TokenKey;
import io.alertbridge.policy.PolicyOperators;
import io.alertbridge.policy.ResponseAddresses;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The keys of issue 18, read once at start: {@code inbound.key-file} signs reply and bounce tokens,
 * {@code http.link-key-file} acknowledge links. The policy checks with them what the mail side
 * issues with them, so both come from here. Without the policy nobody could act on a reply, so the
 * direct path issues none (see {@link #NONE}).
 */
record ResponseKeys(PolicyOperators.Acks acks, ResponseAddresses addresses) {
  static final ResponseKeys NONE =
      new ResponseKeys(PolicyOperators.Acks.NONE, ResponseAddresses.NONE);

  /**
   * @param inboundKey null without {@code inbound}
   * @param linkKey null without {@code http.public-url}
   */
  static ResponseKeys load(
      Path inboundKey, String replyAddress, String bounceAddress, Path linkKey, String publicUrl)
      throws IOException {
    MailTokens tokens = inboundKey == null ? null : new MailTokens(TokenKey.read(inboundKey));
    AckLinks links = linkKey == null ? null : new AckLinks(TokenKey.read(linkKey));
    return new ResponseKeys(
        new PolicyOperators.Acks(tokens, links),
        new ResponseAddresses(
            tokens,
            tokens == null ? null : replyAddress,
            tokens == null ? null : bounceAddress,
            links,
            links == null ? null : publicUrl,
            ResponseAddresses.LINK_LIFETIME));
  }
}

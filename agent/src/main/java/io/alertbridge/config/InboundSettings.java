package io.alertbridge.config;

import io.alertbridge.smtp.TlsMode;
import java.time.Duration;

/**
 * The IMAP mailbox alertbridge reads replies and bounces from (issue 18). Its connection settings
 * mean what they mean for an SMTP server; {@link #toString()} never shows the password.
 *
 * @param replyAddress {@code Reply-To} of each alert mail: one {@code {token}} in its local part
 * @param bounceAddress envelope sender of each alert mail, likewise with one {@code {token}}
 * @param trustedAuthservId when set, a reply must show {@code dmarc=pass} in this server's {@code
 *     Authentication-Results}
 * @param keyFile the HMAC key of reply and bounce tokens: at least 32 bytes, not readable by others
 * @param folder the folder watched for new mail
 * @param pollInterval how often the folder is checked when the server does not offer IDLE
 * @param maxMessageSize a larger message is rejected without its body being downloaded
 */
public record InboundSettings(
    String host,
    Integer port,
    TlsMode tls,
    String tlsCaFile,
    String username,
    String password,
    OAuth2Settings oauth2,
    String replyAddress,
    String bounceAddress,
    String trustedAuthservId,
    String keyFile,
    String folder,
    Duration pollInterval,
    DataSize maxMessageSize) {
  public static final String TOKEN = "{token}";

  public InboundSettings {
    tls = tls == null ? TlsMode.NONE : tls;
    port = port == null ? (tls == TlsMode.IMPLICIT ? 993 : 143) : port;
    tlsCaFile = blankToNull(tlsCaFile);
    username = blankToNull(username);
    password = blankToNull(password);
    trustedAuthservId = blankToNull(trustedAuthservId);
    keyFile = blankToNull(keyFile);
    folder = blankToNull(folder) == null ? "INBOX" : folder;
    pollInterval = pollInterval == null ? Duration.ofSeconds(60) : pollInterval;
    maxMessageSize = maxMessageSize == null ? DataSize.ofMebibytes(10) : maxMessageSize;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "Inbound["
        + address()
        + ", tls="
        + tls
        + ", username="
        + username
        + (oauth2 == null ? ", password=***" : ", " + oauth2)
        + ", folder="
        + folder
        + "]";
  }
}

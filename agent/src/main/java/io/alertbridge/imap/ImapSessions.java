package io.alertbridge.imap;

import io.alertbridge.config.InboundSettings;
import io.alertbridge.smtp.OAuth2Tokens;
import io.alertbridge.smtp.TlsMode;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens IMAP connections to the inbound mailbox with the same TLS and XOAUTH2 rules as the SMTP
 * client ({@code smtp/SmtpClient}): TLS verifies the server's name, STARTTLS is required when
 * configured, and a token the server refuses is fetched anew once.
 */
final class ImapSessions {
  private static final Logger log = LoggerFactory.getLogger(ImapSessions.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private final InboundSettings settings;
  private final Optional<OAuth2Tokens> tokens;
  private final Session session;

  /**
   * @param readTimeout must outlast the IDLE renewal, or every quiet IDLE ends in a timeout
   */
  ImapSessions(
      InboundSettings settings,
      Optional<SSLSocketFactory> tls,
      Optional<OAuth2Tokens> tokens,
      Duration readTimeout) {
    this.settings = settings;
    this.tokens = tokens;
    this.session = Session.getInstance(properties(settings, tls, tokens.isPresent(), readTimeout));
  }

  static Properties properties(
      InboundSettings s, Optional<SSLSocketFactory> tls, boolean oauth2, Duration readTimeout) {
    Properties p = new Properties();
    p.put("mail.imap.host", s.host());
    p.put("mail.imap.port", String.valueOf(s.port()));
    // Without these a server that stops answering blocks the watcher forever.
    p.put("mail.imap.connectiontimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
    p.put("mail.imap.timeout", String.valueOf(readTimeout.toMillis()));
    p.put("mail.imap.writetimeout", String.valueOf(WRITE_TIMEOUT.toMillis()));
    // BODY.PEEK: a message whose handler failed stays unread for a person looking at the box.
    p.put("mail.imap.peek", "true");
    // The whole message in one FETCH: 16 KiB pieces (the default) cost a round trip each.
    p.put("mail.imap.partialfetch", "false");
    if (oauth2) {
      // Angus Mail offers XOAUTH2 only when asked to; the token goes where the password would.
      p.put("mail.imap.auth.mechanisms", "XOAUTH2");
    }
    if (s.tls() == TlsMode.STARTTLS) {
      p.put("mail.imap.starttls.enable", "true");
      p.put("mail.imap.starttls.required", "true");
    } else if (s.tls() == TlsMode.IMPLICIT) {
      p.put("mail.imap.ssl.enable", "true");
    }
    // Angus Mail trusts any name on a valid certificate unless told to check it (RFC 6125).
    p.put("mail.imap.ssl.checkserveridentity", "true");
    p.put(
        "mail.imap.ssl.socketFactory",
        tls.orElseGet(() -> (SSLSocketFactory) SSLSocketFactory.getDefault()));
    return p;
  }

  /** A connected store; the caller closes it. */
  Store connect() throws MessagingException {
    Store store = session.getStore("imap");
    if (tokens.isEmpty()) {
      store.connect(settings.host(), settings.port(), settings.username(), settings.password());
      return store;
    }
    for (int attempt = 1; ; attempt++) {
      String token;
      try {
        token = tokens.get().token();
      } catch (IOException e) {
        throw new AuthenticationFailedException("cannot get an OAuth2 token: " + e.getMessage());
      }
      try {
        store.connect(settings.host(), settings.port(), settings.username(), token);
        return store;
      } catch (AuthenticationFailedException e) {
        tokens.get().invalidate();
        if (attempt == 2) {
          throw e;
        }
        log.info("{} refused the cached OAuth2 token; fetching a new one", settings.address());
      }
    }
  }
}

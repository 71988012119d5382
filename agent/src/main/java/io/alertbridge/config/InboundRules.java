package io.alertbridge.config;

import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.smtp.TlsMode;
import io.alertbridge.smtp.TlsTrust;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/** The rules of {@code inbound}: the IMAP mailbox of replies and bounces (issue 18). */
final class InboundRules {
  private final ConfigValidator v;

  InboundRules(ConfigValidator v) {
    this.v = v;
  }

  void inbound(InboundSettings in) {
    if (in == null) {
      return;
    }
    if (ConfigValidator.blank(in.host())) {
      v.problem("inbound.host", ConfigValidator.quote(in.host()), "is required: the IMAP server");
    }
    if (in.port() < 1 || in.port() > 65535) {
      v.problem("inbound.port", in.port().toString(), "must be between 1 and 65535");
    }
    tls(in);
    login(in);
    address("inbound.reply-address", in.replyAddress());
    address("inbound.bounce-address", in.bounceAddress());
    String id = in.trustedAuthservId();
    if (id != null && !id.matches("[\\x21-\\x7e&&[^;\"\\\\()<>@,:\\[\\]]]+")) {
      v.problem(
          "inbound.trusted-authserv-id",
          ConfigValidator.quote(id),
          "must be an authserv-id as in Authentication-Results (RFC 8601), e.g. mx.example.org");
    }
    keyFile(in.keyFile());
    v.positive("inbound.poll-interval", in.pollInterval());
    if (in.maxMessageSize().bytes() <= 0) {
      v.problem("inbound.max-message-size", in.maxMessageSize().toString(), "must be above zero");
    }
  }

  private void tls(InboundSettings in) {
    if (in.tls() == TlsMode.NONE) {
      if (in.tlsCaFile() != null) {
        v.problem(
            "inbound.tls", "\"none\"", "must be starttls or implicit when tls-ca-file is set");
      } else if (in.host() != null && !SmtpRules.isLoopback(in.host())) {
        v.problem(
            "inbound.tls",
            "\"none\"",
            "must be starttls or implicit: the mailbox's password or token would cross the"
                + " network in the clear (none is allowed only for a loopback host)");
      }
      return;
    }
    try {
      TlsTrust.socketFactory(
          Optional.ofNullable(in.tlsCaFile()).map(Path::of), Optional.empty(), Optional.empty());
    } catch (IOException | GeneralSecurityException e) {
      v.problem(
          "inbound.tls-ca-file",
          ConfigValidator.quote(in.tlsCaFile()),
          "must be readable PEM: " + e.getMessage());
    }
  }

  private void login(InboundSettings in) {
    if (in.oauth2() != null) {
      new SmtpRules(v).oauth2("inbound.oauth2", in.username(), in.password(), in.oauth2());
      return;
    }
    if (in.username() == null) {
      v.problem("inbound.username", null, "is required: the mailbox to log in to");
    }
    if (in.password() == null) {
      v.problem("inbound.password", null, "is required unless oauth2 is set");
    }
  }

  /** An address with one {@code {token}} in its local part, e.g. {@code alerts+{token}@x.org}. */
  private void address(String path, String address) {
    if (ConfigValidator.blank(address)) {
      v.problem(path, null, "is required: an address with {token} in its local part");
      return;
    }
    int token = address.indexOf(InboundSettings.TOKEN);
    boolean once = token >= 0 && token == address.lastIndexOf(InboundSettings.TOKEN);
    if (!once || token > address.lastIndexOf('@')) {
      v.problem(
          path,
          ConfigValidator.quote(address),
          "must contain {token} exactly once, in the local part (e.g. alerts+{token}@example.org)");
      return;
    }
    MailboxSyntax.Result r = MailboxSyntax.check(address.replace(InboundSettings.TOKEN, "t"));
    if (!r.valid() || r.smtputf8()) {
      v.problem(
          path,
          ConfigValidator.quote(address),
          "must be an ASCII RFC 5321 mailbox (local@domain) once {token} is filled in"
              + (r.valid() ? "" : ": " + String.join("; ", r.reasons())));
    }
  }

  /** The key signs tokens: anyone who reads it can acknowledge any alert in anyone's name. */
  private void keyFile(String keyFile) {
    KeyFileRule.check(
        v,
        "inbound.key-file",
        keyFile,
        "the HMAC key of reply and bounce tokens",
        "it signs tokens");
  }
}

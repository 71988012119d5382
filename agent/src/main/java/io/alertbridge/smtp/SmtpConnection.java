package io.alertbridge.smtp;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, kept open across messages. Confined to one thread at a time by {@link
 * SmtpClient}'s pool. After a failure below SMTP the connection is dropped and the next message
 * reconnects. It is renewed after {@code maxMessagesPerConnection} messages and when it was idle
 * longer than {@code idleTimeout} (servers hang up idle clients: Postfix after 300 s).
 */
final class SmtpConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

  /** Past this idle time the server may have hung up; check with RSET before trusting it. */
  static final Duration IDLE_CHECK = Duration.ofSeconds(5);

  private final Session session;
  private final SmtpServer server;
  private final SmtpClientSettings settings;
  private final Clock clock;
  private StagedTransport transport;
  private Instant lastUsed = Instant.MIN;
  private int messages;

  private final TrackingSockets sockets;

  SmtpConnection(
      Session session, SmtpClientSettings settings, TrackingSockets sockets, Clock clock) {
    this.session = session;
    this.sockets = sockets;
    this.server = settings.server();
    this.settings = settings;
    this.clock = clock;
  }

  Receipt send(OutgoingMail mail) throws SmtpSubmissionException {
    try {
      ensureConnected();
    } catch (MessagingException e) {
      close();
      throw failure(
          e, e instanceof AuthenticationFailedException ? SmtpStage.AUTH : SmtpStage.CONNECT);
    }
    try {
      messages++;
      transport.begin(mail);
      transport.sendMessage(mail.message(), mail.recipients().toArray(new InternetAddress[0]));
      // Not reached with mail.smtp.reportsuccess, which reports even full success as below.
      lastUsed = clock.instant();
      return Receipt.of(
          mail,
          server.name(),
          SmtpReply.parse(transport.getLastServerResponse()),
          List.of(),
          List.of());
    } catch (SMTPSendFailedException e) {
      Optional<Receipt> partial = accepted(mail, e);
      if (partial.isPresent()) {
        lastUsed = clock.instant();
        return partial.get();
      }
      throw failure(e, stageOf(e));
    } catch (MessagingException e) {
      throw failure(e, stageOf(e));
    }
  }

  /**
   * The receipt when the server took the message for at least one recipient. With {@code
   * mail.smtp.reportsuccess} Angus Mail reports every transaction that reached the final dot as an
   * exception whose message is the reply to the dot and whose chain has one entry per RCPT TO.
   */
  private Optional<Receipt> accepted(OutgoingMail mail, SMTPSendFailedException e) {
    Address[] sent = e.getValidSentAddresses();
    SmtpReply reply = SmtpReply.parse(String.valueOf(e.getMessage()).strip());
    if (sent == null || sent.length == 0 || !reply.isPositiveCompletion()) {
      return Optional.empty();
    }
    List<String> accepted = new ArrayList<>();
    for (Address a : sent) {
      accepted.add(((InternetAddress) a).getAddress());
    }
    return Optional.of(Receipt.of(mail, server.name(), reply, accepted, recipientFailures(e)));
  }

  /** Every RCPT TO the server did not accept, with its own reply. */
  static List<RecipientResult> recipientFailures(MessagingException e) {
    List<RecipientResult> failed = new ArrayList<>();
    for (Exception x = e.getNextException();
        x != null;
        x = x instanceof MessagingException m ? m.getNextException() : null) {
      if (x instanceof SMTPAddressFailedException f) {
        SmtpReply parsed = SmtpReply.parse(String.valueOf(f.getMessage()).strip());
        SmtpReply reply =
            parsed.code() == f.getReturnCode()
                ? parsed
                : new SmtpReply(f.getReturnCode(), parsed.enhancedStatus(), parsed.text());
        failed.add(new RecipientResult(f.getAddress().getAddress(), reply));
      }
    }
    return failed;
  }

  private void ensureConnected() throws MessagingException {
    if (transport != null) {
      Duration idle = Duration.between(lastUsed, clock.instant());
      if (idle.compareTo(settings.idleTimeout()) > 0) {
        log.debug("{}: connection idle for {}, reconnecting", server.name(), idle);
        close();
      } else if (messages >= settings.maxMessagesPerConnection()) {
        close();
      } else if (idle.compareTo(IDLE_CHECK) > 0 && !transport.isConnected()) {
        close();
      }
    }
    if (transport != null) {
      return;
    }
    StagedTransport t =
        new StagedTransport(
            session,
            server.host(),
            server.port(),
            sockets,
            settings.readTimeout(),
            settings.dataTimeout());
    if (settings.oauth2().isEmpty()) {
      t.connect(server.host(), server.port(), server.username(), server.password());
    } else {
      connectWithToken(t, settings.oauth2().get());
    }
    log.debug("connected to {} (tls={})", server.name(), server.tls());
    transport = t;
    messages = 0;
    lastUsed = clock.instant();
  }

  /**
   * AUTH XOAUTH2 with a cached token; when the server refuses it (revoked or rotated before its
   * expiry), once more with a fresh one.
   */
  private void connectWithToken(StagedTransport t, OAuth2Tokens tokens) throws MessagingException {
    for (int attempt = 1; ; attempt++) {
      String token;
      try {
        token = tokens.token();
      } catch (IOException e) {
        throw new AuthenticationFailedException("cannot get an OAuth2 token: " + e.getMessage());
      }
      try {
        t.connect(server.host(), server.port(), server.username(), token);
        return;
      } catch (AuthenticationFailedException e) {
        tokens.invalidate();
        if (attempt == 2) {
          throw e;
        }
        log.info("{} refused the cached OAuth2 token; fetching a new one", server.name());
      }
    }
  }

  /** Where the transaction failed, from Angus Mail's exception and the last reply it read. */
  private SmtpStage stageOf(MessagingException e) {
    for (Exception x = e;
        x != null;
        x = x instanceof MessagingException m ? m.getNextException() : null) {
      if (x instanceof SMTPSendFailedException s && s.getCommand() != null) {
        String command = s.getCommand().trim().toUpperCase(Locale.ROOT);
        if (command.startsWith("MAIL")) {
          return SmtpStage.MAIL;
        }
        if (command.equals("DATA")) {
          return SmtpStage.DATA;
        }
        if (command.equals(".")) {
          return SmtpStage.END_OF_DATA;
        }
      }
      if (x instanceof SMTPAddressFailedException) {
        return SmtpStage.RCPT;
      }
    }
    // No SMTP reply: an I/O error or timeout. After "354" the message was being sent or its final
    // reply awaited, so the server may have it; before, nothing of the message was sent.
    SmtpStage reached = transport == null ? SmtpStage.CONNECT : transport.stage();
    return reached == SmtpStage.END_OF_DATA ? SmtpStage.END_OF_DATA : SmtpStage.CONNECT;
  }

  private SmtpSubmissionException failure(MessagingException e, SmtpStage stage) {
    Optional<SmtpReply> reply = SmtpFailures.decisiveReply(e);
    if (reply.isEmpty() && stage == SmtpStage.AUTH) {
      reply = SmtpFailures.replyInMessage(e);
    }
    // A refused login is never final: credentials get fixed, and until then the mail waits
    // uncommitted (loudly logged) instead of every alert being dead-lettered.
    boolean permanent =
        stage != SmtpStage.AUTH && reply.map(SmtpReply::isPermanentFailure).orElse(false);
    // 421 means the server is closing the channel; with no reply the failure was I/O or TLS.
    if (reply.isEmpty() || reply.get().code() == 421 || !isConnectedQuietly()) {
      close();
    }
    String what = reply.map(SmtpReply::toString).orElseGet(() -> describe(e));
    List<RecipientResult> recipients = stage == SmtpStage.RCPT ? recipientFailures(e) : List.of();
    if (stage == SmtpStage.RCPT && !recipients.isEmpty()) {
      // Every recipient was refused or deferred: final only if every one got a 5xx.
      permanent = recipients.stream().allMatch(RecipientResult::refused);
    }
    return new SmtpSubmissionException(server.name(), reply, permanent, stage, what, e, recipients);
  }

  private boolean isConnectedQuietly() {
    return transport != null && transport.isConnected();
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(": ").append(c.getClass().getSimpleName()).append(' ').append(c.getMessage());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (MessagingException ignored) {
      // Closing a connection the server already dropped fails; there is nothing left to release.
    }
    transport = null;
  }
}

package io.alertbridge.imap;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * Lets exactly one of several watchers take a message, where the server offers CONDSTORE (RFC
 * 7162). Dovecot's MOVE copies before it expunges, so two watchers moving the same message at once
 * leave two copies; a conditional STORE of a claim keyword is atomic, so only one of them wins and
 * the other leaves the message alone. A claim is a keyword with the time it was made: one older
 * than {@code ttl} belongs to a watcher that died, and may be taken over.
 */
final class ImapClaims {
  static final String PREFIX = "$AlertbridgeClaim";

  private final IMAPFolder folder;
  private final Clock clock;
  private final Duration ttl;

  ImapClaims(IMAPFolder folder, Clock clock, Duration ttl) {
    this.folder = folder;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The claim keyword made, or null when another watcher holds the message. */
  String claim(Message m, long uid) throws MessagingException {
    Instant now = clock.instant();
    Instant newest = newestClaim(m.getFlags());
    if (newest != null && newest.plus(ttl).isAfter(now)) {
      return null;
    }
    String keyword = PREFIX + now.getEpochSecond();
    // Cached with the flags above, from the same FETCH: a MODSEQ read later could already include
    // another watcher's claim that the flags do not show, and the STORE below would then succeed.
    long modseq = ((IMAPMessage) m).getModSeq();
    Object won;
    try {
      won =
          folder.doCommand(
              p -> {
                Argument a = new Argument();
                a.writeNumber(uid);
                a.writeAtom("(UNCHANGEDSINCE " + modseq + ")");
                a.writeAtom("+FLAGS"); // not SILENT: the reply updates the cached flags we check
                a.writeAtom("(" + keyword + ")");
                Response[] r = p.command("UID STORE", a);
                p.notifyResponseHandlers(r);
                p.handleResult(r[r.length - 1]);
                // A lost race is an OK with [MODIFIED uid], not a NO (RFC 7162 §3.1.3).
                return !r[r.length - 1].toString().contains("[MODIFIED");
              });
    } catch (MessagingException e) {
      if (!ImapMove.refused(e)) {
        throw e;
      }
      return null; // NO [EXPUNGEISSUED]: another watcher has already moved it
    }
    if (!Boolean.TRUE.equals(won)) {
      return null;
    }
    // Dovecot may accept a STORE to a message another session has already expunged, silently
    // (RFC 9051 §7.5.1 lets it): the claim only counts if the message is there and shows it.
    MailboxWatcher.noop(folder);
    Message now2 = folder.getMessageByUID(uid);
    if (now2 == null || now2.isExpunged()) {
      return null;
    }
    return keyword.equals(ImapClaims.newestClaimKeyword(now2.getFlags())) ? keyword : null;
  }

  /** Gives a message back after the handler failed, for whichever watcher retries first. */
  void release(long uid, String keyword) throws MessagingException {
    folder.doCommand(
        p -> {
          Argument a = new Argument();
          a.writeNumber(uid);
          a.writeAtom("-FLAGS.SILENT");
          a.writeAtom("(" + keyword + ")");
          p.simpleCommand("UID STORE", a);
          return null;
        });
  }

  static String newestClaimKeyword(Flags flags) {
    Instant t = newestClaim(flags);
    return t == null ? null : PREFIX + t.getEpochSecond();
  }

  static Instant newestClaim(Flags flags) {
    Instant newest = null;
    for (String k : flags.getUserFlags()) {
      if (k.startsWith(PREFIX)) {
        try {
          Instant t = Instant.ofEpochSecond(Long.parseLong(k.substring(PREFIX.length())));
          newest = newest == null || t.isAfter(newest) ? t : newest;
        } catch (NumberFormatException ignored) {
          // Not one of ours after all: a keyword a person or another tool set.
        }
      }
    }
    return newest;
  }
}

package io.alertbridge.imap;

import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;

/**
 * Lets one of several watchers take a message, where the server offers CONDSTORE (RFC 7162).
 * Dovecot's MOVE copies before it expunges, so two watchers moving the same message at once leave
 * two copies. A claim is a compare-and-set: read FLAGS and MODSEQ in one FETCH; if no fresh claim
 * is there, STORE a claim keyword UNCHANGEDSINCE that MODSEQ, which fails if anyone changed the
 * message since. The keyword carries the time it was made: a claim older than {@code ttl} belongs
 * to a watcher that died, and may be taken over.
 */
final class ImapClaims {
  static final String PREFIX = "$AlertbridgeClaim";

  private final IMAPFolder folder;
  private final Clock clock;
  private final Duration ttl;

  /**
   * This watcher's mark in its claims: two watchers claiming in the same second would otherwise
   * store the same keyword, and Dovecot lets a STORE that changes nothing pass its UNCHANGEDSINCE
   * (seen in ClosedLoopIT: both handled one bounce).
   */
  private final String watcher =
      Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);

  ImapClaims(IMAPFolder folder, Clock clock, Duration ttl) {
    this.folder = folder;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The claim keyword stored, or null when another watcher holds or has taken the message. */
  String claim(long uid) throws MessagingException {
    Instant now = clock.instant();
    String keyword = PREFIX + now.getEpochSecond() + "x" + watcher;
    Object won;
    try {
      won =
          folder.doCommand(
              p -> {
                // FLAGS and MODSEQ of the same moment: a MODSEQ read later could already include
                // another watcher's claim that older flags do not show.
                Response[] r = run(p, "UID FETCH", atoms(uid, "(FLAGS MODSEQ)"));
                FLAGS flags = null;
                MODSEQ modseq = null;
                for (Response x : r) {
                  if (x instanceof FetchResponse f && f.getItem(FLAGS.class) != null) {
                    flags = f.getItem(FLAGS.class);
                    modseq = f.getItem(MODSEQ.class);
                  }
                }
                if (flags == null || modseq == null) {
                  return false; // gone: another watcher moved it
                }
                Instant newest = newestClaim(flags);
                if (newest != null && newest.plus(ttl).isAfter(now)) {
                  return false;
                }
                Response[] s =
                    run(
                        p,
                        "UID STORE",
                        atoms(
                            uid,
                            "(UNCHANGEDSINCE " + modseq.modseq + ")",
                            "+FLAGS.SILENT",
                            "(" + keyword + ")"));
                // A lost race is an OK with [MODIFIED uid], not a NO (RFC 7162 §3.1.3).
                return !s[s.length - 1].toString().contains("[MODIFIED");
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
    // A STORE to a message another session expunged may be accepted silently (RFC 9051 §7.5.1).
    MailboxWatcher.noop(folder);
    Message m = folder.getMessageByUID(uid);
    return m == null || m.isExpunged() ? null : keyword;
  }

  /** Gives a message back after the handler failed, for whichever watcher retries first. */
  void release(long uid, String keyword) throws MessagingException {
    folder.doCommand(p -> run(p, "UID STORE", atoms(uid, "-FLAGS.SILENT", "(" + keyword + ")")));
  }

  private static Argument atoms(long uid, String... atoms) {
    Argument a = new Argument();
    a.writeNumber(uid);
    for (String atom : atoms) {
      a.writeAtom(atom);
    }
    return a;
  }

  private static Response[] run(IMAPProtocol p, String command, Argument a)
      throws ProtocolException {
    Response[] r = p.command(command, a);
    p.notifyResponseHandlers(r);
    p.handleResult(r[r.length - 1]);
    return r;
  }

  static Instant newestClaim(Flags flags) {
    Instant newest = null;
    for (String k : flags.getUserFlags()) {
      if (k.startsWith(PREFIX)) {
        try {
          String time = k.substring(PREFIX.length());
          int x = time.indexOf('x');
          Instant t = Instant.ofEpochSecond(Long.parseLong(x < 0 ? time : time.substring(0, x)));
          newest = newest == null || t.isAfter(newest) ? t : newest;
        } catch (NumberFormatException ignored) {
          // Not one of ours after all: a keyword a person or another tool set.
        }
      }
    }
    return newest;
  }
}

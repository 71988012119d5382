package io.alertbridge.imap;

import jakarta.mail.FetchProfile;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over the watched folder, oldest message first: hand each to the handler, then move it to
 * the folder its disposition names. Stops at the first handler failure so messages keep their
 * order; a connection failure propagates to the watcher, which reconnects.
 */
final class FolderDrain {
  private static final Logger log = LoggerFactory.getLogger(FolderDrain.class);

  /** Messages looked at per pass: a backlog of thousands is read in bounded slices. */
  static final int BATCH = 100;

  /**
   * @param done messages moved or found gone (another watcher took them); not those another watcher
   *     holds, which would otherwise make the watcher spin until they are gone
   * @param failed whether the handler threw, leaving a message in place
   */
  record Result(int done, boolean failed) {}

  private final IMAPFolder folder;
  private final InboundHandler handler;
  private final MailboxListener listener;
  private final long maxSize;
  private final Map<Disposition, String> targets;
  private final Optional<ImapClaims> claims;

  /**
   * @param claims where the server offers CONDSTORE: so that one watcher of several takes a message
   */
  FolderDrain(
      IMAPFolder folder,
      InboundHandler handler,
      MailboxListener listener,
      long maxSize,
      Map<Disposition, String> targets,
      Optional<ImapClaims> claims) {
    this.claims = claims;
    this.folder = folder;
    this.handler = handler;
    this.listener = listener;
    this.maxSize = maxSize;
    this.targets = targets;
  }

  Result drain() throws MessagingException {
    int count = folder.getMessageCount();
    if (count <= 0) {
      return new Result(0, false);
    }
    // Sequence numbers ascend with UIDs (RFC 9051 §2.3.1.2): the first are the oldest.
    Message[] batch = folder.getMessages(1, Math.min(count, BATCH));
    FetchProfile envelope = new FetchProfile();
    envelope.add(UIDFolder.FetchProfileItem.UID);
    envelope.add(FetchProfile.Item.ENVELOPE); // with RFC822.SIZE: no body is fetched here
    envelope.add(FetchProfile.Item.FLAGS); // claims of other watchers
    folder.fetch(batch, envelope);
    int done = 0;
    for (Message m : batch) {
      if (Thread.currentThread().isInterrupted()) {
        break; // closing: what is left stays for the next start
      }
      Outcome o;
      try {
        // Already known expunged: not progress, or the watcher would spin instead of idling
        // while its view still lists a message it has moved.
        o = m.isExpunged() ? Outcome.SKIPPED : offer(m);
      } catch (MessageRemovedException gone) {
        log.debug("a message vanished before it was read: another watcher took it");
        o = Outcome.DONE;
      }
      if (o == Outcome.FAILED) {
        return new Result(done, true);
      }
      done += o == Outcome.DONE ? 1 : 0;
    }
    return new Result(done, false);
  }

  /** What became of one message; SKIPPED: another watcher holds it, or it is already gone. */
  private enum Outcome {
    DONE,
    SKIPPED,
    FAILED
  }

  private Outcome offer(Message m) throws MessagingException {
    long uid = folder.getUID(m);
    String claim = null;
    if (claims.isPresent() && (claim = claims.get().claim(uid)) == null) {
      return Outcome.SKIPPED;
    }
    String messageId = ((MimeMessage) m).getMessageID();
    long size = m.getSize();
    byte[] raw = null;
    if (size <= maxSize) {
      try {
        raw = read(m);
      } catch (MessagingException e) {
        // Dovecot answers NO [EXPUNGEISSUED] for a message another session just expunged.
        if (ImapMove.refused(e) && vanished(uid)) {
          log.debug("uid {} vanished before it was read: another watcher took it", uid);
          return Outcome.DONE;
        }
        throw e; // the connection's failure: reconnect
      }
    }
    Disposition d;
    try {
      if (raw == null) {
        handler.oversized(uid, size, messageId);
        d = Disposition.REJECTED;
      } else {
        d = handler.handle(raw, uid);
        if (d == null) {
          throw new IllegalStateException("the handler returned no disposition");
        }
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn(
          "uid {} ({}) stays in {}: the handler failed: {}", uid, messageId, folder, e.toString());
      listener.handlerFailed(uid, e);
      if (claim != null) {
        claims.get().release(uid, claim);
      }
      return Outcome.FAILED;
    }
    move(uid, d);
    log.info("uid {} {} Message-ID {}{}", uid, d, messageId, size > maxSize ? " (oversized)" : "");
    listener.moved(uid, d);
    return Outcome.DONE;
  }

  /** Whether the UID is gone, once the server had a chance to report pending expunges. */
  private boolean vanished(long uid) throws MessagingException {
    MailboxWatcher.noop(folder);
    Message m = folder.getMessageByUID(uid);
    return m == null || m.isExpunged();
  }

  private byte[] read(Message m) throws MessagingException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.max(0, Math.min(m.getSize(), maxSize)));
    try {
      m.writeTo(out);
    } catch (IOException e) {
      throw new MessagingException("reading a message failed: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private void move(long uid, Disposition d) throws MessagingException {
    try {
      ImapMove.move(folder, uid, targets.get(d));
    } catch (MessagingException e) {
      // A server that refuses to move a UID it no longer has: another watcher moved it first.
      if (!ImapMove.refused(e) || !vanished(uid)) {
        throw e;
      }
      log.debug("uid {} was moved by another watcher first", uid);
    }
  }
}

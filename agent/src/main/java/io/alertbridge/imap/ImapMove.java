package io.alertbridge.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * Moves one message by UID. UIDs, not sequence numbers, because another watcher may expunge
 * messages of the same folder at any time: a UID names the same message or none. A UID that no
 * longer exists is not an error (RFC 9051 §6.4.9): another watcher took the message first.
 */
final class ImapMove {
  private ImapMove() {}

  /** UID MOVE (RFC 6851) where offered, else COPY, \Deleted and an EXPUNGE of that UID only. */
  static void move(IMAPFolder folder, long uid, String target) throws MessagingException {
    folder.doCommand(
        p -> {
          if (p.hasCapability("MOVE")) {
            uidCommand(p, "UID MOVE", uid, target);
            return null;
          }
          uidCommand(p, "UID COPY", uid, target);
          Argument flags = new Argument();
          flags.writeNumber(uid);
          flags.writeAtom("+FLAGS.SILENT");
          flags.writeAtom("(\\Deleted)");
          run(p, "UID STORE", flags);
          if (p.hasCapability("UIDPLUS")) {
            p.uidexpunge(UIDSet.createUIDSets(new long[] {uid}));
          } else {
            // Without UIDPLUS only a plain EXPUNGE exists: it also removes other messages marked
            // \Deleted in this folder, which here are only other watchers' half-done moves.
            p.expunge();
          }
          return null;
        });
  }

  /** Whether a failed move failed because the server refused the command (NO/BAD). */
  static boolean refused(MessagingException e) {
    return e.getCause() instanceof CommandFailedException;
  }

  private static void uidCommand(IMAPProtocol p, String command, long uid, String target)
      throws ProtocolException {
    Argument a = new Argument();
    a.writeNumber(uid);
    a.writeString(BASE64MailboxEncoder.encode(target));
    run(p, command, a);
  }

  private static void run(IMAPProtocol p, String command, Argument a) throws ProtocolException {
    Response[] r = p.command(command, a);
    // EXPUNGE and EXISTS replies keep the folder's view of sequence numbers right.
    p.notifyResponseHandlers(r);
    p.handleResult(r[r.length - 1]);
  }
}

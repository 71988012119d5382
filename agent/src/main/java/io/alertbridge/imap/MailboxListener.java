package io.alertbridge.imap;

/** What a watcher tells metrics and tests about its work; every method does nothing by default. */
public interface MailboxListener {
  MailboxListener NONE = new MailboxListener() {};

  /** A message was moved to the disposition's folder (or had vanished: another watcher took it). */
  default void moved(long uid, Disposition disposition) {}

  /** The handler threw: the message stays in place and is offered again after a backoff. */
  default void handlerFailed(long uid, Exception e) {}

  /** The connection was lost or could not be made; the watcher reconnects after a backoff. */
  default void disconnected(Exception e) {}

  /** The folder has nothing left to do: the watcher waits for new mail (IDLE or the poll). */
  default void waiting() {}

  /** The watcher is connected, the folders exist and it is about to read the folder. */
  default void connected(boolean idle) {}
}

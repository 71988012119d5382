package io.alertbridge.imap;

import io.alertbridge.config.InboundSettings;
import io.alertbridge.config.OAuth2Settings;
import io.alertbridge.smtp.ClientCredentialsTokens;
import io.alertbridge.smtp.OAuth2Tokens;
import io.alertbridge.smtp.TlsTrust;
import io.alertbridge.smtp.TokenFile;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.ResyncData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the inbound mailbox on a thread of its own: hands each message to the {@link
 * InboundHandler}, moves it to {@code alertbridge/processed} or {@code alertbridge/rejected}, and
 * waits for new mail with IMAP IDLE (RFC 2177), or by polling every {@code poll-interval} on a
 * server without IDLE. Any connection loss ends in a reconnect after a backoff; nothing is deleted.
 *
 * <p>IDLE runs as {@link IMAPFolder#idle(boolean)} on the watcher's thread rather than through
 * Angus Mail's {@code IdleManager}: that needs non-blocking socket channels, which a TLS socket
 * factory with the operator's CA cannot give, and one thread per mailbox costs nothing. IDLE is
 * renewed every poll-interval (at most every 25 minutes, before servers drop it: RFC 2177 §3),
 * which also re-reads the folder in case a notification was lost.
 *
 * <p>Several watchers may share a mailbox. Where the server offers CONDSTORE, each claims a message
 * before handling it ({@link ImapClaims}), so each message is handled and moved once; elsewhere two
 * watchers may both hand the same message over, and the handler must be idempotent anyway.
 */
public final class MailboxWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MailboxWatcher.class);
  static final Duration MAX_IDLE = Duration.ofMinutes(25);
  static final Duration READ_MARGIN = Duration.ofSeconds(30);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /**
   * How long another watcher's claim on a message is respected: longer than any handler call, and
   * how long a message waits when its watcher died holding it.
   */
  static final Duration CLAIM_TTL = Duration.ofMinutes(5);

  private final InboundSettings settings;
  private final ImapSessions sessions;
  private final InboundHandler handler;
  private final MailboxListener listener;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Backoff reconnect;
  private final Backoff retry;
  private final ScheduledExecutorService waker;
  private volatile boolean closed;
  private volatile IMAPFolder current;
  private FolderDrain drain;
  private Thread thread;

  MailboxWatcher(
      InboundSettings settings,
      ImapSessions sessions,
      InboundHandler handler,
      MailboxListener listener,
      Sleeper sleeper,
      Clock clock,
      Backoff reconnect,
      Backoff retry) {
    this.clock = clock;
    this.settings = settings;
    this.sessions = sessions;
    this.handler = handler;
    this.listener = listener;
    this.sleeper = sleeper;
    this.reconnect = reconnect;
    this.retry = retry;
    this.waker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "imap-idle-waker");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A watcher of the configured mailbox; {@link #start} it. Reconnects back off from 1 s to 1 min;
   * a failing handler is retried from 1 s up to the poll interval.
   */
  public static MailboxWatcher create(
      InboundSettings settings, InboundHandler handler, MailboxListener listener, Clock clock)
      throws IOException, GeneralSecurityException {
    ImapSessions sessions =
        new ImapSessions(
            settings,
            TlsTrust.socketFactory(
                Optional.ofNullable(settings.tlsCaFile()).map(Path::of),
                Optional.empty(),
                Optional.empty()),
            Optional.ofNullable(settings.oauth2()).map(o -> tokens(o, clock)),
            readTimeout(settings));
    return new MailboxWatcher(
        settings,
        sessions,
        handler,
        listener,
        Sleeper.REAL,
        clock,
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)),
        new Backoff(Duration.ofSeconds(1), settings.pollInterval()));
  }

  private static OAuth2Tokens tokens(OAuth2Settings o, Clock clock) {
    if (o.tokenFile() != null) {
      return new TokenFile(Path.of(o.tokenFile()));
    }
    return new ClientCredentialsTokens(
        HttpClient.newBuilder().connectTimeout(ImapSessions.CONNECT_TIMEOUT).build(),
        URI.create(o.tokenUrl()),
        o.clientId(),
        o.clientSecret(),
        o.scope(),
        ImapSessions.CONNECT_TIMEOUT,
        clock);
  }

  static Duration idleRenewal(InboundSettings s) {
    return s.pollInterval().compareTo(MAX_IDLE) < 0 ? s.pollInterval() : MAX_IDLE;
  }

  /** Longer than an IDLE lasts, or a quiet mailbox would look like a dead server. */
  static Duration readTimeout(InboundSettings s) {
    return idleRenewal(s).plus(READ_MARGIN);
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this::run, "imap-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!closed) {
      Store store = null;
      try {
        store = sessions.connect();
        IMAPFolder folder = open(store);
        boolean idle = ((IMAPStore) store).hasCapability("IDLE");
        reconnect.reset();
        log.info(
            "watching {} on {} as {} ({})",
            settings.folder(),
            settings.address(),
            settings.username(),
            idle ? "IDLE" : "polling every " + settings.pollInterval());
        listener.connected(idle);
        watch(folder, idle);
      } catch (Exception e) {
        if (closed) {
          break;
        }
        Duration wait = reconnect.next();
        log.warn(
            "mailbox {} on {}: {}; reconnecting in {}",
            settings.folder(),
            settings.address(),
            describe(e),
            wait);
        listener.disconnected(e);
        pause(wait);
      } finally {
        current = null;
        closeQuietly(store);
      }
    }
  }

  private IMAPFolder open(Store store) throws MessagingException {
    IMAPFolder folder = (IMAPFolder) store.getFolder(settings.folder());
    char separator = folder.getSeparator();
    Map<Disposition, String> targets = new EnumMap<>(Disposition.class);
    for (Disposition d : Disposition.values()) {
      targets.put(d, d.folder(separator));
      ensureExists(store, Disposition.PARENT, Folder.HOLDS_FOLDERS);
      ensureExists(store, d.folder(separator), Folder.HOLDS_MESSAGES);
    }
    boolean condstore = ((IMAPStore) store).hasCapability("CONDSTORE");
    if (condstore) {
      // Every FETCH of FLAGS then carries the MODSEQ of the same moment, which claims rely on.
      folder.open(Folder.READ_WRITE, ResyncData.CONDSTORE);
    } else {
      folder.open(Folder.READ_WRITE);
    }
    current = folder;
    Optional<ImapClaims> claims =
        condstore ? Optional.of(new ImapClaims(folder, clock, CLAIM_TTL)) : Optional.empty();
    drain =
        new FolderDrain(
            folder,
            handler,
            listener,
            settings.maxMessageSize().bytes(),
            Map.copyOf(targets),
            claims);
    return folder;
  }

  /** Two watchers may race to create a folder: whoever loses finds it there. */
  private static void ensureExists(Store store, String name, int type) throws MessagingException {
    Folder f = store.getFolder(name);
    if (!f.exists() && !f.create(type) && !f.exists()) {
      throw new MessagingException("cannot create folder " + name);
    }
  }

  private void watch(IMAPFolder folder, boolean idle) throws MessagingException {
    while (!closed) {
      FolderDrain.Result r = drain.drain();
      if (r.failed()) {
        pause(retry.next());
        noop(folder);
        continue;
      }
      retry.reset();
      if (r.done() > 0) {
        continue; // mail that came while we worked is seen before waiting
      }
      listener.waiting();
      if (idle) {
        idleOnce(folder);
      } else {
        pause(settings.pollInterval());
        noop(folder); // asks the server for news: EXISTS comes with the reply
      }
    }
  }

  private void idleOnce(IMAPFolder folder) throws MessagingException {
    if (closed) {
      return;
    }
    ScheduledFuture<?> renew =
        waker.schedule(() -> wake(folder), idleRenewal(settings).toMillis(), TimeUnit.MILLISECONDS);
    try {
      folder.idle(true); // returns on the first untagged reply, e.g. "* 3 EXISTS"
    } finally {
      renew.cancel(false);
    }
  }

  /** Any command on the folder from another thread ends IDLE (Angus Mail sends DONE first). */
  private static void wake(IMAPFolder folder) {
    try {
      noop(folder);
    } catch (MessagingException | RuntimeException ignored) {
      // The watcher's own thread sees the same connection failure and reconnects.
    }
  }

  static void noop(IMAPFolder folder) throws MessagingException {
    folder.doCommand(
        p -> {
          p.simpleCommand("NOOP", null);
          return null;
        });
  }

  private void pause(Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close(): the loop sees closed and ends
    }
  }

  /** The exception and its causes in one line, e.g. the TLS reason behind a failed connect. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append(" <- ").append(c);
    }
    return sb.toString();
  }

  private static void closeQuietly(Store store) {
    if (store != null) {
      try {
        store.close();
      } catch (MessagingException | RuntimeException ignored) {
        // Already broken: nothing more to release on our side.
      }
    }
  }

  /** Stops the watcher: IDLE is ended at once, a message being handled is not moved. */
  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      // Again and again: a wake that lands just before the watcher enters IDLE wakes nothing.
      while (t != null && t.isAlive() && System.nanoTime() < deadline) {
        IMAPFolder folder = current;
        if (folder != null) {
          waker.execute(() -> wake(folder));
        }
        t.interrupt(); // ends a backoff or poll wait
        t.join(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t != null && t.isAlive()) {
      log.warn("the mailbox watcher did not stop within {}", CLOSE_WAIT);
    }
    waker.shutdownNow();
  }
}

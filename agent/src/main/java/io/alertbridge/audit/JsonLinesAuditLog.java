package io.alertbridge.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON object per line (JSON Lines), so {@code tail -f | jq} sees records as they
 * happen and an auditor's tools read it line by line.
 *
 * <ul>
 *   <li><b>Whole lines or nothing.</b> A line goes to the kernel in one write of its full bytes. If
 *       that write fails (disk full), the file is cut back to where the line began, and a tail left
 *       torn by a crash is cut back to the last line end when the file is opened: a half line is
 *       never glued onto the next.
 *   <li><b>Durability</b> follows {@link FsyncPolicy}.
 *   <li><b>Rotation.</b> Before each line the log checks that its path still names the file it has
 *       open; after {@code logrotate} moved or removed it, a new file is created at the path (no
 *       SIGHUP needed). With {@code copytruncate} the append position follows the truncation.
 * </ul>
 */
public final class JsonLinesAuditLog implements AuditLog {
  private static final Logger log = LoggerFactory.getLogger(JsonLinesAuditLog.class);

  private final Path file;
  private final FsyncPolicy fsync;
  private final Duration fsyncInterval;
  private final Clock clock;
  private final ScheduledExecutorService syncer;
  private FileChannel channel;
  private Object fileKey;
  private boolean dirty;
  private boolean tornTail;
  private Instant lastSync;
  private long syncs;
  private boolean closed;

  /** A log with the default durability: fsync at most once a second. */
  public JsonLinesAuditLog(Path file) throws IOException {
    this(file, FsyncPolicy.INTERVAL, Duration.ofSeconds(1), Clock.systemUTC(), true);
  }

  /**
   * @param background whether a timer thread syncs lines left unsynced when appends stop ({@link
   *     FsyncPolicy#INTERVAL} only); tests drive {@link #syncIfDue()} themselves instead
   */
  public JsonLinesAuditLog(
      Path file, FsyncPolicy fsync, Duration fsyncInterval, Clock clock, boolean background)
      throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    this.fsync = Objects.requireNonNull(fsync, "fsync");
    this.fsyncInterval = Objects.requireNonNull(fsyncInterval, "fsyncInterval");
    this.clock = clock;
    if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
      throw new IllegalArgumentException("fsyncInterval must be positive, found " + fsyncInterval);
    }
    open();
    this.lastSync = clock.instant();
    if (background && fsync == FsyncPolicy.INTERVAL) {
      syncer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "alertbridge-audit-sync");
                t.setDaemon(true);
                return t;
              });
      long ms = fsyncInterval.toMillis();
      syncer.scheduleWithFixedDelay(this::syncInBackground, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  public Path file() {
    return file;
  }

  private void open() throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (FileChannel repair =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      cutTornTail(repair);
    }
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    fileKey = key(file);
    tornTail = false;
  }

  /** Cuts a line without its line end (a write torn by a crash or a full disk) off the end. */
  private void cutTornTail(FileChannel c) throws IOException {
    long size = c.size();
    if (size == 0) {
      return;
    }
    long end = size;
    ByteBuffer one = ByteBuffer.allocate(1);
    while (end > 0) {
      one.clear();
      c.read(one, end - 1);
      if (one.get(0) == '\n') {
        break;
      }
      end--;
    }
    if (end < size) {
      c.truncate(end);
      c.force(true);
      log.warn(
          "audit log {}: removed a torn last line ({} bytes without a line end)", file, size - end);
    }
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
  }

  @Override
  public synchronized void append(AuditRecord record) {
    byte[] line = (record.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (closed) {
        throw new IOException("the audit log is closed");
      }
      reopenIfRotated();
      if (tornTail) {
        try (FileChannel repair =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          cutTornTail(repair);
        }
        tornTail = false;
      }
      writeWhole(line);
      dirty = true;
      if (fsync == FsyncPolicy.ALWAYS) {
        sync();
      } else if (fsync == FsyncPolicy.INTERVAL && syncer == null) {
        // With a timer, the timer syncs: an fsync here would hold every appender (the delivery
        // workers, the policy stage) for as long as the disk takes, hundreds of ms on a busy one.
        syncIfDue();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to audit log " + file, e);
    }
  }

  private void reopenIfRotated() throws IOException {
    Object now;
    try {
      now = key(file);
    } catch (NoSuchFileException e) {
      now = null;
    }
    if (now == null || !now.equals(fileKey)) {
      log.info("audit log {} was moved or removed (rotation?); opening a new one", file);
      syncQuietly();
      channel.close();
      open();
    }
  }

  private void writeWhole(byte[] line) throws IOException {
    long before = channel.size();
    ByteBuffer buf = ByteBuffer.wrap(line);
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      try {
        channel.truncate(before);
      } catch (IOException cutFailed) {
        // The disk may refuse even this; the next append cuts the torn tail before writing.
        tornTail = true;
        e.addSuppressed(cutFailed);
      }
      throw e;
    }
  }

  /** Syncs when the interval since the last sync has passed; the timer and appends call it. */
  synchronized void syncIfDue() throws IOException {
    if (dirty && !clock.instant().isBefore(lastSync.plus(fsyncInterval))) {
      sync();
    }
  }

  private void sync() throws IOException {
    channel.force(false);
    dirty = false;
    lastSync = clock.instant();
    syncs++;
  }

  /**
   * The timer's sync, outside the lock so that appends go on while the disk flushes: a line
   * appended meanwhile marks the log dirty again and is synced next time.
   */
  private void syncInBackground() {
    FileChannel c;
    synchronized (this) {
      if (closed || !dirty) {
        return;
      }
      c = channel;
      dirty = false;
    }
    try {
      c.force(false);
      synchronized (this) {
        lastSync = clock.instant();
        syncs++;
      }
    } catch (java.nio.channels.ClosedChannelException e) {
      // Rotated or closed meanwhile; both sync the old channel before closing it.
    } catch (IOException e) {
      synchronized (this) {
        dirty = true;
      }
      log.error("cannot sync audit log {}: {}", file, e.toString());
    }
  }

  private synchronized void syncQuietly() {
    if (closed || !dirty) {
      return;
    }
    try {
      sync();
    } catch (IOException e) {
      log.error("cannot sync audit log {}: {}", file, e.toString());
    }
  }

  /** How many times the log forced its lines to disk; for tests of the policy. */
  synchronized long syncs() {
    return syncs;
  }

  @Override
  public void close() {
    if (syncer != null) {
      syncer.shutdownNow();
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        if (fsync != FsyncPolicy.NEVER && dirty) {
          sync();
        }
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close audit log " + file, e);
      } finally {
        closed = true;
      }
    }
  }
}

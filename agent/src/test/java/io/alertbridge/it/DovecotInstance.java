package io.alertbridge.it;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Dovecot (Debian's dovecot-imapd and dovecot-lmtpd) on free loopback ports, run as a
 * child process with {@code dovecot -F} and a generated configuration in a temporary folder: IMAP,
 * optionally IMAPS with a self-signed certificate made by openssl, and LMTP for a Postfix to
 * deliver into ({@link #postfixSettings}). One user, {@link #USER}, whose maildir is in the same
 * folder; {@code USER+anything@} reaches it too (recipient_delimiter). The hierarchy separator is
 * {@code /}, unlike GreenMail's {@code .}.
 *
 * <p>When Dovecot is not installed the calling test is skipped, unless {@code
 * ALERTBRIDGE_REQUIRE_DOVECOT} is set (CI sets it), in which case it fails.
 */
final class DovecotInstance implements AutoCloseable {
  static final String USER = "alertbridge";
  static final String PASSWORD = "dovecot-secret";
  private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");

  private final Path base;
  private final int imapPort;
  private final int imapsPort;
  private final int lmtpPort;
  private final boolean tls;
  private Process process;

  private DovecotInstance(Path base, boolean tls) throws IOException {
    this.base = base;
    this.tls = tls;
    this.imapPort = freePort();
    this.imapsPort = tls ? freePort() : 0;
    this.lmtpPort = freePort();
  }

  /** Plain IMAP and LMTP, with the given lines added to dovecot.conf (e.g. imap_capability). */
  static DovecotInstance start(String... extraConf) throws Exception {
    return launch(false, extraConf);
  }

  /** Also IMAPS (implicit TLS) with a self-signed certificate for localhost and 127.0.0.1. */
  static DovecotInstance startWithTls() throws Exception {
    return launch(true);
  }

  private static DovecotInstance launch(boolean tls, String... extraConf) throws Exception {
    boolean required = System.getenv("ALERTBRIDGE_REQUIRE_DOVECOT") != null;
    if (!Files.isExecutable(DOVECOT) || !Files.exists(Path.of("/usr/lib/dovecot/lmtp"))) {
      if (required) {
        throw new IllegalStateException(
            "ALERTBRIDGE_REQUIRE_DOVECOT is set but dovecot-imapd/dovecot-lmtpd are not installed");
      }
      Assumptions.abort("Dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)");
    }
    // Dovecot's unprivileged processes must be able to reach every folder below.
    Path base = Files.createTempDirectory(Path.of("/tmp"), "alertbridge-dovecot-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    DovecotInstance d = new DovecotInstance(base, tls);
    d.configure(String.join("\n", extraConf));
    d.run();
    return d;
  }

  private void configure(String extra) throws Exception {
    for (String dir : List.of("etc", "run", "state", "log", "mail", "home")) {
      Files.createDirectories(base.resolve(dir));
    }
    DovecotConf.Identity who = DovecotConf.Identity.of(base);
    who.own(base.resolve("mail"));
    who.own(base.resolve("home"));
    Files.writeString(base.resolve("etc/users"), USER + ":{PLAIN}" + PASSWORD + "::::::\n");
    if (tls) {
      Tls.selfSigned(base.resolve("etc"), "server");
    }
    Files.writeString(
        base.resolve("etc/dovecot.conf"),
        DovecotConf.render(base, who, imapPort, imapsPort, lmtpPort, tls) + extra + "\n");
  }

  private void run() throws Exception {
    process =
        new ProcessBuilder(
                DOVECOT.toString(), "-F", "-c", base.resolve("etc/dovecot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(base.resolve("log/stdout").toFile())
            .start();
    awaitListening(imapPort, Duration.ofSeconds(20));
    awaitListening(lmtpPort, Duration.ofSeconds(20));
  }

  /** Stops Dovecot (dropping every connection) and starts it again on the same ports and store. */
  void restart() throws Exception {
    stop();
    run();
  }

  int imapPort() {
    return imapPort;
  }

  int imapsPort() {
    return imapsPort;
  }

  int lmtpPort() {
    return lmtpPort;
  }

  /** The server's self-signed certificate, to trust as {@code tls-ca-file}. */
  Path certificate() {
    return base.resolve("etc/server.pem");
  }

  /** A folder for test files (another CA, key files) removed with the instance. */
  Path scratch() throws IOException {
    return Files.createDirectories(base.resolve("scratch"));
  }

  /**
   * main.cf settings that make a {@link PostfixInstance} deliver mail for {@code domain} into this
   * Dovecot over LMTP.
   */
  java.util.Map<String, String> postfixSettings(String domain) {
    return java.util.Map.of(
        "relay_domains", domain, "relay_transport", "lmtp:inet:127.0.0.1:" + lmtpPort);
  }

  /** Appends a message to a folder over IMAP, as a mail client would. */
  void append(String folder, byte[] raw) throws Exception {
    try (Store store = connect()) {
      Folder f = store.getFolder(folder);
      Session session = Session.getInstance(new Properties());
      f.appendMessages(new Message[] {new MimeMessage(session, new ByteArrayInputStream(raw))});
    }
  }

  /** The Message-IDs in a folder, in order; empty when the folder does not exist. */
  List<String> messageIds(String folder) throws Exception {
    try (Store store = connect()) {
      Folder f = store.getFolder(folder);
      if (!f.exists()) {
        return List.of();
      }
      f.open(Folder.READ_ONLY);
      try {
        List<String> ids = new ArrayList<>();
        for (Message m : f.getMessages()) {
          ids.add(((MimeMessage) m).getMessageID());
        }
        return ids;
      } finally {
        f.close(false);
      }
    }
  }

  /** Every folder's full name. */
  List<String> folders() throws Exception {
    try (Store store = connect()) {
      List<String> names = new ArrayList<>();
      for (Folder f : store.getDefaultFolder().list("*")) {
        names.add(f.getFullName());
      }
      return names;
    }
  }

  private Store connect() throws Exception {
    Properties p = new Properties();
    p.put("mail.imap.connectiontimeout", "10000");
    p.put("mail.imap.timeout", "10000");
    Store store = Session.getInstance(p).getStore("imap");
    store.connect("127.0.0.1", imapPort, USER, PASSWORD);
    return store;
  }

  /** What Dovecot has logged so far. */
  String log() throws IOException {
    Path log = base.resolve("log/dovecot.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private void awaitListening(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.getInputStream(); // connected: Dovecot listens
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException(
              "Dovecot did not listen on port "
                  + port
                  + ": "
                  + Files.readString(base.resolve("log/stdout"))
                  + log());
        }
        Thread.sleep(50);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM to the master, which stops every child first; then its ports are free again. */
  private void stop() throws Exception {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // An imap process serving a client outlives its master: it would keep the test's connection
    // open across a "restart" (and a closed instance's processes alive).
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroy();
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    }
    process = null;
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted stopping Dovecot", e);
    } catch (Exception e) {
      throw new IOException("stopping Dovecot failed", e);
    }
    try (Stream<Path> all = Files.walk(base)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

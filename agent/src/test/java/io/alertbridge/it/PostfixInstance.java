package io.alertbridge.it;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Postfix instance on a free loopback port, with its own configuration, queue, data
 * directory and log file, so a test can read what Postfix itself logged. Mail is accepted and
 * queued, then handed to the {@code discard} transport: nothing leaves the machine. The {@code
 * lmtp} transport is there for settings that deliver into a local Dovecot ({@code
 * DovecotInstance.postfixSettings}).
 *
 * <p>When Postfix is not installed the calling test is skipped, unless {@code
 * ALERTBRIDGE_REQUIRE_POSTFIX} is set (CI sets it), in which case it fails.
 */
final class PostfixInstance implements AutoCloseable {
  private static final Path POSTFIX = Path.of("/usr/sbin/postfix");

  private final Path base;
  private final int port;

  private PostfixInstance(Path base, int port) {
    this.base = base;
    this.port = port;
  }

  /** Starts an instance with the given main.cf settings on top of the defaults below. */
  static PostfixInstance start(Map<String, String> mainCf) throws Exception {
    return start(mainCf, Map.of());
  }

  /**
   * Starts an instance with extra main.cf settings and extra files in its configuration folder;
   * {@code {etc}} in a setting stands for that folder.
   */
  static PostfixInstance start(Map<String, String> mainCf, Map<String, String> files)
      throws Exception {
    boolean required = System.getenv("ALERTBRIDGE_REQUIRE_POSTFIX") != null;
    if (!Files.isExecutable(POSTFIX)) {
      if (required) {
        throw new IllegalStateException(
            "ALERTBRIDGE_REQUIRE_POSTFIX is set but " + POSTFIX + " is not installed");
      }
      Assumptions.abort("Postfix is not installed (apt-get install postfix)");
    }
    try {
      return launch(mainCf, files);
    } catch (Exception e) {
      if (required) {
        throw e;
      }
      Assumptions.abort("Postfix is installed but could not start: " + e.getMessage());
      throw e;
    }
  }

  private static PostfixInstance launch(Map<String, String> settings, Map<String, String> files)
      throws Exception {
    // Postfix's daemons run as the postfix user and must be able to reach every folder.
    Path base = Files.createTempDirectory(Path.of("/tmp"), "alertbridge-postfix-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String d : List.of("etc", "queue", "data", "log")) {
      Files.createDirectories(base.resolve(d));
    }
    UserPrincipal postfix =
        base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
    Files.setOwner(base.resolve("data"), postfix);
    Files.setOwner(base.resolve("log"), postfix);
    int port = freePort();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(base.resolve("etc").resolve(f.getKey()), f.getValue());
    }
    Map<String, String> extra = new java.util.LinkedHashMap<>();
    settings.forEach((k, v) -> extra.put(k, v.replace("{etc}", base.resolve("etc").toString())));
    StringBuilder main = new StringBuilder();
    Map.ofEntries(
            Map.entry("compatibility_level", "3.6"),
            Map.entry("queue_directory", base.resolve("queue").toString()),
            Map.entry("data_directory", base.resolve("data").toString()),
            Map.entry("meta_directory", "/etc/postfix"),
            Map.entry("command_directory", "/usr/sbin"),
            Map.entry("daemon_directory", "/usr/lib/postfix/sbin"),
            Map.entry("shlib_directory", "/usr/lib/postfix"),
            Map.entry("mail_owner", "postfix"),
            Map.entry("setgid_group", "postdrop"),
            Map.entry("myhostname", "postfix-test.localdomain"),
            Map.entry("inet_interfaces", "127.0.0.1"),
            Map.entry("inet_protocols", "ipv4"),
            Map.entry("mydestination", ""),
            Map.entry("mynetworks", "127.0.0.0/8"),
            Map.entry("relay_domains", ""),
            Map.entry("default_transport", "discard:"),
            Map.entry("relay_transport", "discard:"),
            Map.entry("maillog_file", base.resolve("log/maillog").toString()),
            Map.entry("maillog_file_prefixes", "/var, /dev/stdout, " + base))
        .forEach(
            (k, v) -> main.append(k).append(" = ").append(extra.getOrDefault(k, v)).append('\n'));
    extra.forEach(
        (k, v) -> {
          if (main.indexOf("\n" + k + " = ") < 0 && !main.toString().startsWith(k + " = ")) {
            main.append(k).append(" = ").append(v).append('\n');
          }
        });
    Files.writeString(base.resolve("etc/main.cf"), main.toString());
    Files.writeString(base.resolve("etc/master.cf"), masterCf(port));
    run(base, "start");
    PostfixInstance instance = new PostfixInstance(base, port);
    instance.awaitListening(Duration.ofSeconds(20));
    return instance;
  }

  private static String masterCf(int port) {
    return """
        127.0.0.1:%d inet n - n - - smtpd
        pickup    unix  n - n 60 1 pickup
        cleanup   unix  n - n - 0 cleanup
        qmgr      unix  n - n 300 1 qmgr
        rewrite   unix  - - n - - trivial-rewrite
        bounce    unix  - - n - 0 bounce
        defer     unix  - - n - 0 bounce
        trace     unix  - - n - 0 bounce
        verify    unix  - - n - 1 verify
        flush     unix  n - n 1000? 0 flush
        proxymap  unix  - - n - - proxymap
        showq     unix  n - n - - showq
        error     unix  - - n - - error
        retry     unix  - - n - - error
        discard   unix  - - n - - discard
        lmtp      unix  - - n - - lmtp
        smtp      unix  - - n - - smtp
        anvil     unix  - - n - 1 anvil
        scache    unix  - - n - 1 scache
        postlog   unix-dgram n - n - 1 postlogd
        tlsmgr    unix  - - n 1000? 1 tlsmgr
        """
        .formatted(port);
  }

  private static void run(Path base, String command) throws IOException {
    Process p =
        new ProcessBuilder(POSTFIX.toString(), "-c", base.resolve("etc").toString(), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("postfix " + command + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running postfix " + command, e);
    }
  }

  private void awaitListening(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        probe.getInputStream(); // connected: Postfix's smtpd is listening
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Postfix did not listen on port " + port + ": " + maillog());
        }
        Thread.sleep(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  /** What Postfix has logged so far. */
  String maillog() throws IOException {
    Path log = base.resolve("log/maillog");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The queue ID Postfix's cleanup logged for a Message-ID, if it has logged one. */
  Optional<String> queueIdFor(String messageId) throws IOException {
    for (String line : maillog().split("\n")) {
      int at = line.indexOf(": message-id=" + messageId);
      if (line.contains("postfix/cleanup[") && at > 0) {
        String head = line.substring(0, at);
        return Optional.of(head.substring(head.lastIndexOf(' ') + 1));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    run(base, "stop");
  }
}

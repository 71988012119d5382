package io.alertbridge.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A line-based SMTP server on a loopback port that keeps every command line exactly as sent, and
 * announces DSN (RFC 3461) in EHLO when asked to: GreenMail and the embedded sink do not, and the
 * DSN parameters are only sent to a server that announces it.
 */
final class RecordingSmtpServer implements AutoCloseable {
  private final ServerSocket socket;
  private final boolean dsn;
  private final UnaryOperator<String> rcptReply;
  private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger queued = new AtomicInteger();
  private final Thread acceptor;

  private RecordingSmtpServer(boolean dsn, UnaryOperator<String> rcptReply) throws IOException {
    this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    this.dsn = dsn;
    this.rcptReply = rcptReply;
    this.acceptor = new Thread(this::accept, "recording-smtp");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server that accepts every recipient. */
  static RecordingSmtpServer start(boolean dsn) throws IOException {
    return start(dsn, line -> "250 2.1.5 Ok");
  }

  /** A server whose reply to each RCPT TO line is {@code rcptReply.apply(line)}. */
  static RecordingSmtpServer start(boolean dsn, UnaryOperator<String> rcptReply)
      throws IOException {
    return new RecordingSmtpServer(dsn, rcptReply);
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Every command line received so far (not the message data), in order. */
  List<String> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  /** The received lines that start with this verb. */
  List<String> commands(String verb) {
    return commands().stream().filter(c -> c.startsWith(verb)).toList();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        session(s);
      } catch (IOException e) {
        // Closed by close(), or the client hung up: the next accept tells which.
      }
    }
  }

  private void session(Socket s) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = s.getOutputStream();
    reply(out, "220 recording.localhost ESMTP");
    for (String line; (line = in.readLine()) != null; ) {
      commands.add(line);
      String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
      switch (verb) {
        case "EHLO" ->
            reply(
                out,
                "250-recording.localhost\r\n250-8BITMIME\r\n"
                    + (dsn ? "250-DSN\r\n" : "")
                    + "250 ENHANCEDSTATUSCODES");
        case "MAIL" -> reply(out, "250 2.1.0 Ok");
        case "RCPT" -> reply(out, rcptReply.apply(line));
        case "DATA" -> {
          reply(out, "354 End data with <CR><LF>.<CR><LF>");
          for (String data; (data = in.readLine()) != null && !data.equals("."); ) {
            // The message itself is not what these tests look at.
          }
          reply(
              out,
              "250 2.0.0 Ok: queued as " + String.format("4F3X%06d", queued.incrementAndGet()));
        }
        case "QUIT" -> {
          reply(out, "221 2.0.0 Bye");
          return;
        }
        default -> reply(out, "250 2.0.0 Ok");
      }
    }
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
